"""A renamed type or issuing body is renamed in its documents' search copies too."""

from django.db.models.signals import post_save

from .models import Document, DocumentType, IssuingBody


def type_renamed(sender, instance, created, **kwargs):
    if not created:
        Document.objects.filter(doc_type=instance).exclude(type_name=instance.name).update(type_name=instance.name)


def issuer_renamed(sender, instance, created, **kwargs):
    if not created:
        Document.objects.filter(issuer=instance).exclude(issuer_name=instance.name).update(issuer_name=instance.name)


def connect():
    post_save.connect(type_renamed, sender=DocumentType, dispatch_uid="documents.type_renamed")
    post_save.connect(issuer_renamed, sender=IssuingBody, dispatch_uid="documents.issuer_renamed")

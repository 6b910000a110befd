"""Wiring: when public content changes, cached pages and the menu are renewed at once."""

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.models import ContentVersion
from core.pagecache import forget_content_version

from .context_processors import MENU_CACHE_KEY


def content_changed(sender, **kwargs):
    ContentVersion.bump()
    forget_content_version()


def relation_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed(sender, **kwargs)


def menu_changed(sender, **kwargs):
    cache.delete(MENU_CACHE_KEY)
    content_changed(sender, **kwargs)


def connect():
    from news.models import Article, Attachment, Category

    for model in (Article, Attachment):
        post_save.connect(content_changed, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
    post_save.connect(menu_changed, sender=Category, dispatch_uid="pagecache-save-category")
    post_delete.connect(menu_changed, sender=Category, dispatch_uid="pagecache-delete-category")

    # Legal documents, procedures and the Department's own pages.
    from documents.models import Document, DocumentFile, DocumentType, Field, IssuingBody, Procedure
    from pages.models import ContactInfo, Leader, Page

    for model in (Document, DocumentFile, DocumentType, IssuingBody, Field, Procedure, Page, Leader, ContactInfo):
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    m2m_changed.connect(relation_changed, sender=Document.fields.through, dispatch_uid="pagecache-document-fields")

    # Galleries and videos (their pages, and the articles they are placed in).
    from gallery.models import Gallery, Photo, Video

    for model in (Gallery, Photo, Video):
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")

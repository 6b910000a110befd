"""Saving or deleting an entry bumps the content version, so the home page's week block (a fragment keyed
by it) shows the change at once. Bulk admin actions call `content_changed()` themselves."""

from django.db.models.signals import post_delete, post_save

from core.models import ContentVersion
from core.pagecache import forget_content_version


def content_changed(sender=None, **kwargs):
    ContentVersion.bump()
    forget_content_version()


def connect():
    from .models import Entry

    post_save.connect(content_changed, sender=Entry, dispatch_uid="agenda-save-entry")
    post_delete.connect(content_changed, sender=Entry, dispatch_uid="agenda-delete-entry")

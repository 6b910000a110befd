"""Saving or deleting a menu item, link, banner or announcement bumps the content version: the next page
(and the menu, footer and block fragments keyed by it) shows the change at once."""

from django.db.models.signals import post_delete, post_save

from core.models import ContentVersion
from core.pagecache import forget_content_version


def content_changed(sender, **kwargs):
    ContentVersion.bump()
    forget_content_version()


def connect():
    from .models import Announcement, Banner, MenuItem, WebLink

    for model in (MenuItem, WebLink, Banner, Announcement):
        label = model._meta.label
        post_save.connect(content_changed, sender=model, dispatch_uid=f"navigation-save-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"navigation-delete-{label}")

"""Publishing primitives shared by every published kind of content.

A kind with a workflow status and a publication time uses `PublishableQuerySet`: `published()` is the
one visibility rule (status published and the time has come), `scheduled()` what will go live by
itself. Such kinds register with `register_scheduled(model)`, so the content version (core.models)
moves on by itself when the next scheduled item's time comes, without core knowing any app.
"""

from django.db import models
from django.db.models import Min
from django.utils import timezone

PUBLISHED = "published"
_scheduled_models = []  # filled once at start-up by the apps' ready(); read-only afterwards


class PublishableQuerySet(models.QuerySet):
    """For models with `status` (one value being "published") and `publish_at`."""

    def published(self):
        """The one visibility rule: published, and the publish time has come."""
        return self.filter(status=PUBLISHED, publish_at__lte=timezone.now())

    def scheduled(self):
        """Published, with a publish time still to come."""
        return self.filter(status=PUBLISHED, publish_at__gt=timezone.now())


def register_scheduled(model):
    if model not in _scheduled_models:
        _scheduled_models.append(model)


def next_scheduled_publication():
    """The earliest time something scheduled goes live (None when nothing waits): one query for every
    registered kind, a UNION ALL of each kind's earliest time, however many apps publish."""
    if not _scheduled_models:
        return None
    # scheduled() keeps one status ("published"): grouped by it, each kind gives at most one row.
    first, *others = [
        model._default_manager.scheduled().order_by().values("status").annotate(t=Min("publish_at")).values_list("t")
        for model in _scheduled_models
    ]
    rows = first.union(*others, all=True) if others else first
    return min((t for (t,) in rows if t is not None), default=None)


def can_preview(request, permission):
    """Staff may see a draft as readers will: an active staff session that has passed the admin's own
    checks (two-factor where it is required: admin.site.has_permission) and holds `permission`."""
    from django.contrib import admin

    user = request.user
    return user.is_authenticated and admin.site.has_permission(request) and user.has_perm(permission)

"""How one kind of content takes part in the workflow: which permission publishes it, what "live" means for
its row, which fields a working copy carries. Each app declares one `Workflow` per model and registers it
(in its admin module, with the ModelAdmin); core knows no app."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_kinds = {}  # model → Workflow; filled at start-up (the apps' admin modules), read-only afterwards
_listeners = []  # filled at start-up


class Workflow:
    """The default: a row that is always live (a department page). Subclasses say otherwise."""

    publish_permission = ""  # "app_label.codename"
    can_unpublish = False
    can_schedule = False
    noun = _("mục")  # "bài viết", "văn bản": in messages and e-mails
    follow = ()  # related rows that travel with each version (attachments)

    def __init__(self, model):
        self.model = model

    # What the row says ---------------------------------------------------------------------------
    def is_live(self, obj):
        return True

    def is_pending_row(self, obj):
        """Whether the row itself says it waits for review (articles' own status)."""
        return False

    # Changing the row in memory (the service saves it) ----------------------------------------------
    def make_live(self, obj, when=None):
        pass

    def make_unlive(self, obj):
        pass

    def mark_draft(self, obj):
        pass

    def mark_pending(self, obj):
        pass

    # The fields a working copy carries --------------------------------------------------------------
    def copied_fields(self):
        """Every field the admin edits (not the workflow's own status fields, not stamps, not generated)."""
        skip = set(self.status_fields())
        names = []
        for field in self.model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created or field.primary_key:
                continue
            if isinstance(field, models.GeneratedField) or not field.editable or field.name in skip:
                continue
            names.append(field.name)
        return names

    def status_fields(self):
        return []

    def label(self, obj):
        return str(obj)


class StatusWorkflow(Workflow):
    """A row with `status` (draft / pending / published / archived) and `publish_at`: articles."""

    can_unpublish = True
    can_schedule = True
    DRAFT, PENDING, PUBLISHED = "draft", "pending", "published"

    def is_live(self, obj):
        return obj.status == self.PUBLISHED

    def is_pending_row(self, obj):
        return obj.status == self.PENDING

    def make_live(self, obj, when=None):
        now = timezone.now()
        if when is not None:
            obj.publish_at = when
        elif obj.publish_at is None or obj.publish_at > now:
            obj.publish_at = now  # "Duyệt & xuất bản" means now
        obj.status = self.PUBLISHED

    def make_unlive(self, obj):
        obj.status = self.DRAFT

    def mark_draft(self, obj):
        if obj.status != self.PUBLISHED:
            obj.status = self.DRAFT

    def mark_pending(self, obj):
        if obj.status != self.PUBLISHED:
            obj.status = self.PENDING

    def status_fields(self):
        return ["status"]


class FlagWorkflow(Workflow):
    """A row with a boolean "shown on the portal" flag (`is_published`): documents, procedures."""

    can_unpublish = True
    flag = "is_published"

    def is_live(self, obj):
        return bool(getattr(obj, self.flag))

    def make_live(self, obj, when=None):
        setattr(obj, self.flag, True)

    def make_unlive(self, obj):
        setattr(obj, self.flag, False)

    def status_fields(self):
        return [self.flag]


def register(model, workflow):
    """Opt `model` in (idempotent): its workflow, and its versions kept by core.revisions."""
    from core import revisions

    if model in _kinds:
        return _kinds[model]
    _kinds[model] = workflow
    for name in workflow.follow:
        revisions.register_related(model._meta.get_field(name).related_model)
    revisions.register(model, follow=workflow.follow)
    for listener in _listeners:
        listener()
    return workflow


def on_register(listener):
    """Call `listener()` whenever a kind is registered from now on (the admin home's card: core.workflow.cards)."""
    if listener not in _listeners:
        _listeners.append(listener)


def of(model):
    return _kinds[model._meta.concrete_model if hasattr(model, "_meta") else model]


def registered():
    return list(_kinds.items())

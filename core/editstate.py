"""What an open admin form leaves in PostgreSQL: the user's autosave slot and the object's edit lock.

A slot is one per user and object (and one per user and "add" form of a model): the form's fields as the
browser last sent them, kept until the form is saved or `editing_cleanup` removes it after
`EDITING_AUTOSAVE_RETENTION_DAYS`. A lock is one per object: who edits it since when, kept alive by the
open tab's heartbeat; without one for `EDITING_LOCK_SECONDS` it counts as free (the tab is gone or the
holder's session ended: heartbeats then fail). The admin side is core/editing.py.
"""

from datetime import timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ADD = ""  # object_id of the slot of an "add" form
MAX_SLOT_BYTES = 2_000_000


def lock_seconds():
    return getattr(settings, "EDITING_LOCK_SECONDS", 120)


class AutosaveSlot(models.Model):
    """A user's unsaved form of one object (or of a new one), as field name → list of values."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người soạn"), on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("loại nội dung"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    data = models.JSONField(_("nội dung"), default=dict)
    saved_at = models.DateTimeField(_("lưu lúc"), db_index=True)

    class Meta:
        verbose_name = _("bản tự lưu")
        verbose_name_plural = _("bản tự lưu")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="core_autosave_one_per_form")
        ]

    def __str__(self):
        return f"{self.user} · {self.content_type} #{self.object_id or 'mới'} · {self.saved_at:%d/%m/%Y %H:%M}"


class EditLock(models.Model):
    """Who has an object open for editing, since when, and when their tab last said it is still open."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("loại nội dung"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), on_delete=models.CASCADE, related_name="+"
    )
    acquired_at = models.DateTimeField(_("sửa từ lúc"))
    heartbeat_at = models.DateTimeField(_("còn mở lúc"), db_index=True)

    class Meta:
        verbose_name = _("khoá chỉnh sửa")
        verbose_name_plural = _("khoá chỉnh sửa")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="core_editlock_one")]

    def __str__(self):
        return f"{self.content_type} #{self.object_id}: {self.user}"

    @property
    def holder_name(self):
        return self.user.get_full_name() or self.user.get_username()

    def is_active(self, now=None):
        return self.heartbeat_at > (now or timezone.now()) - timedelta(seconds=lock_seconds())


# Locks ------------------------------------------------------------------------------------------------


def acquire(user, content_type, object_id, now=None, force=False):
    """Take or keep the lock of an object for `user`, in one statement; returns the lock as it now stands
    (with its holder loaded): held by `user` when it was free, expired or theirs (or `force`, a take-over),
    else by whoever holds it. The holder keeps their "since" while they keep it."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=lock_seconds())
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO core_editlock (content_type_id, object_id, user_id, acquired_at, heartbeat_at)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT (content_type_id, object_id) DO UPDATE SET
                acquired_at = CASE WHEN core_editlock.user_id = EXCLUDED.user_id
                                        AND core_editlock.heartbeat_at > %s
                                   THEN core_editlock.acquired_at ELSE EXCLUDED.acquired_at END,
                user_id = EXCLUDED.user_id,
                heartbeat_at = EXCLUDED.heartbeat_at
            WHERE %s OR core_editlock.user_id = EXCLUDED.user_id OR core_editlock.heartbeat_at <= %s
            """,
            [content_type.pk, str(object_id), user.pk, now, now, stale, force, stale],
        )
    return current(content_type, object_id)


def current(content_type, object_id):
    """The lock row of an object with its holder (None when nobody ever locked it), one query."""
    return EditLock.objects.select_related("user").filter(content_type=content_type, object_id=str(object_id)).first()


def held_by_other(user, content_type, object_id, now=None):
    """The active lock of someone else on this object, or None."""
    lock = current(content_type, object_id)
    if lock is not None and lock.user_id != user.pk and lock.is_active(now):
        return lock
    return None


def release(user, content_type, object_id):
    EditLock.objects.filter(content_type=content_type, object_id=str(object_id), user=user).delete()


# Autosave slots ---------------------------------------------------------------------------------------


def clean_data(data):
    """A slot's content as the browser may send it: {name: [str, ...]}, or None when it is not that."""
    if not isinstance(data, dict):
        return None
    cleaned = {}
    for name, values in data.items():
        if isinstance(values, str):
            values = [values]
        if not isinstance(name, str) or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        if name != "csrfmiddlewaretoken":
            cleaned[name] = values
    return cleaned


def save_slot(user, content_type, object_id, data, now=None):
    now = now or timezone.now()
    AutosaveSlot.objects.update_or_create(
        user=user,
        content_type=content_type,
        object_id=str(object_id),
        defaults={"data": data, "saved_at": now},
    )


def slot(user, content_type, object_id):
    return AutosaveSlot.objects.filter(user=user, content_type=content_type, object_id=str(object_id)).first()


def discard_slot(user, content_type, object_id):
    AutosaveSlot.objects.filter(user=user, content_type=content_type, object_id=str(object_id)).delete()


def cleanup(now=None, days=None):
    """Remove slots older than the retention period and locks long expired; returns (slots, locks) removed."""
    now = now or timezone.now()
    days = days if days is not None else getattr(settings, "EDITING_AUTOSAVE_RETENTION_DAYS", 30)
    slots, _detail = AutosaveSlot.objects.filter(saved_at__lt=now - timedelta(days=days)).delete()
    locks, _detail = EditLock.objects.filter(heartbeat_at__lt=now - timedelta(seconds=lock_seconds())).delete()
    return slots, locks

"""The working copy of a reviewed object and the staff's notices."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingCopy(models.Model):
    """The pending state of one object, beside its row.

    For a live object (published article, document, procedure, any department page) `data` holds the
    edited field values (Django's "python" serialisation of the row, many-to-many ids included) while
    readers keep the row; "Duyệt & xuất bản" writes them into the row. `base` is the row as it was when
    the copy was started: if the row changed since, approving shows both and lets the publisher choose.
    For an object not yet live, `data` is empty: the row itself is the draft, and this only records that
    it waits for review (or was returned with a comment)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ duyệt")
        RETURNED = "returned", _("Bị trả lại")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.DRAFT)
    data = models.JSONField(null=True, blank=True)
    base = models.JSONField(null=True, blank=True)
    comment = models.TextField(_("nhận xét của người duyệt"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bản sửa đổi")
        verbose_name_plural = _("bản sửa đổi")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="core_workingcopy_one_per_object")
        ]
        indexes = [models.Index(fields=["content_type", "state"], name="core_workingcopy_state_idx")]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} ({self.state})"


class Notice(models.Model):
    """A message for one staff member ("Bài … đã được xuất bản", "Bài … bị trả lại: …"), shown once as an
    admin message on their next admin page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    level = models.PositiveSmallIntegerField(default=20)  # django.contrib.messages levels
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [
            models.Index(
                fields=["user", "created_at"], name="core_notice_unseen_idx", condition=models.Q(seen_at__isnull=True)
            )
        ]

    def __str__(self):
        return self.text[:80]

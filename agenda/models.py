"""The leaders' weekly work calendar ("Lịch công tác"): one entry per engagement of a day.

Published through review like articles: `status` + `publish_at` and `PublishableQuerySet.published()`,
the one visibility rule used by the week page, the iCalendar feed and the home block alike.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Stamped
from core.publishing import PUBLISHED, PublishableQuerySet

ENDS_BEFORE_START = _("Giờ kết thúc phải sau giờ bắt đầu.")


def week_start(day):
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


class EntryQuerySet(PublishableQuerySet):
    def in_week(self, monday):
        return self.filter(day__gte=monday, day__lt=monday + timedelta(days=7))

    def between(self, first, last):
        return self.filter(day__gte=first, day__lte=last)

    def in_order(self):
        return self.order_by("day", "starts_at", "id")


class Entry(Stamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = PUBLISHED, _("Đã công bố")

    day = models.DateField(_("ngày"))
    starts_at = models.TimeField(_("giờ bắt đầu"))
    ends_at = models.TimeField(_("giờ kết thúc"), null=True, blank=True, help_text=_("Không bắt buộc."))
    content = models.TextField(_("nội dung"), max_length=2000)
    leaders = models.CharField(
        _("lãnh đạo"),
        max_length=300,
        blank=True,
        help_text=_("Lãnh đạo Sở chủ trì hoặc dự, ví dụ: Giám đốc Nguyễn Văn A; Phó Giám đốc Trần Thị B."),
    )
    attendees = models.TextField(_("thành phần"), max_length=1000, blank=True)
    host_unit = models.CharField(_("đơn vị chủ trì"), max_length=300, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("thời điểm công bố"), default=timezone.now, help_text=_("Đặt thời điểm trong tương lai để hẹn giờ công bố.")
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục lịch công tác")
        verbose_name_plural = _("lịch công tác")
        ordering = ["day", "starts_at", "id"]
        permissions = [("publish_entry", _("Có thể công bố, gỡ lịch công tác"))]
        indexes = [
            models.Index(fields=["day", "starts_at"], name="agenda_published_idx", condition=Q(status=PUBLISHED)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="agenda_entry_ends_after_start",
                violation_error_message=ENDS_BEFORE_START,
            ),
        ]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.starts_at:%H:%M} – {self.content[:80]}"

    def clean(self):
        super().clean()
        if self.ends_at is not None and self.starts_at is not None and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": ENDS_BEFORE_START})

    def get_absolute_url(self):
        iso = self.day.isocalendar()
        return f"{reverse('agenda:week')}?tuan={iso.year}-W{iso.week:02d}#ngay-{self.day:%Y-%m-%d}"

    @property
    def start(self):
        """The start as an aware datetime in the site's time zone."""
        return timezone.make_aware(datetime.combine(self.day, self.starts_at))

    @property
    def end(self):
        return timezone.make_aware(datetime.combine(self.day, self.ends_at)) if self.ends_at else None

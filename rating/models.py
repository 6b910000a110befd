"""Citizens rate the portal (Decree 42/2022/NĐ-CP, Art. 8): five levels and an optional comment.

No login: each rating keeps only salted hashes of the visitor cookie and of the client's address,
for the rate limit (rating.services) and nothing else."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Rating(models.Model):
    class Level(models.IntegerChoices):
        VERY_GOOD = 5, _("Rất tốt")
        GOOD = 4, _("Tốt")
        FAIR = 3, _("Bình thường")
        POOR = 2, _("Chưa tốt")
        BAD = 1, _("Kém")

    level = models.PositiveSmallIntegerField(_("mức đánh giá"), choices=Level.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    page = models.CharField(_("gửi từ trang"), max_length=300, blank=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    visitor_hash = models.CharField(_("mã băm người đọc"), max_length=64, editable=False)
    ip_hash = models.CharField(_("mã băm địa chỉ IP"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("đánh giá cổng thông tin")
        verbose_name_plural = _("đánh giá cổng thông tin")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["visitor_hash", "created_at"], name="rating_visitor_idx"),
            models.Index(fields=["ip_hash", "created_at"], name="rating_ip_idx"),
            models.Index(fields=["created_at"], name="rating_created_idx"),
            models.Index(fields=["-created_at", "-id"], name="rating_comment_idx", condition=~Q(comment="")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rating_level_1_to_5"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} – {self.created_at:%d/%m/%Y %H:%M}"

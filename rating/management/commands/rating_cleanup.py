"""Decree 13/2023/NĐ-CP: a rating's salted hashes (of the visitor cookie and of the address) serve only the
rate limit (RATING_PERIOD_HOURS), so they are blanked after RATING_HASH_DAYS days; the level, the comment
and the page stay (the portal's record of what readers think). Daily, from cron (docs/deploy.md)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from rating.models import Rating


class Command(BaseCommand):
    help = "Blank the salted visitor and address hashes of ratings older than RATING_HASH_DAYS days."

    def handle(self, *args, **options):
        days = max(int(getattr(settings, "RATING_HASH_DAYS", 30)), 2)  # the rate limit needs the last day
        cutoff = timezone.now() - timedelta(days=days)
        blanked = (
            Rating.objects.filter(created_at__lt=cutoff)
            .exclude(visitor_hash="", ip_hash="")
            .update(visitor_hash="", ip_hash="")
        )
        self.stdout.write(f"Đã xoá mã băm người đọc và địa chỉ của {blanked} lượt đánh giá cũ hơn {days} ngày.")

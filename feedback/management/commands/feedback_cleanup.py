"""Housekeeping for cron (daily): expired captcha challenges, and client-IP hashes kept no longer
than needed (they only serve the rate limit, which looks one day back; Decree 13/2023/NĐ-CP)."""

from datetime import timedelta

from captcha.models import CaptchaStore
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.models import Feedback


class Command(BaseCommand):
    help = "Delete expired captcha challenges and forget client-IP hashes older than --ip-days days."

    def add_arguments(self, parser):
        parser.add_argument("--ip-days", type=int, default=30, help="keep IP hashes this many days (at least 1)")

    def handle(self, *args, **options):
        if options["ip_days"] < 1:
            raise CommandError("--ip-days must be at least 1: the daily rate limit needs a day of hashes.")
        now = timezone.now()
        captchas, _ = CaptchaStore.objects.filter(expiration__lte=now).delete()
        forgotten = (
            Feedback.objects.filter(created_at__lt=now - timedelta(days=options["ip_days"]))
            .exclude(ip_hash="")
            .update(ip_hash="")
        )
        self.stdout.write(f"Đã xoá {captchas} mã kiểm tra hết hạn; đã xoá mã băm IP của {forgotten} góp ý.")

"""Housekeeping for cron (daily), Decree 13/2023/NĐ-CP: personal data kept no longer than needed.

- expired captcha challenges;
- client-IP hashes after --ip-days (30): they only serve the rate limit, which looks one day back;
- citizens' contact details (name, e-mail, phone) FEEDBACK_CONTACT_RETENTION_DAYS after the answer,
  and a published question's original wording once it has an edited public version
  (`feedback.services.forget_contact_details`).
"""

from datetime import timedelta

from captcha.models import CaptchaStore
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.attachments import forget_pending
from feedback.models import Feedback
from feedback.services import forget_contact_details


class Command(BaseCommand):
    help = (
        "Delete expired captcha challenges, forget client-IP hashes older than --ip-days days and citizens' "
        "contact details FEEDBACK_CONTACT_RETENTION_DAYS after the answer."
    )

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
        contacts, published = forget_contact_details(now)
        unsent = forget_pending(now)
        self.stdout.write(f"Đã xoá {captchas} mã kiểm tra hết hạn; đã xoá mã băm IP của {forgotten} góp ý.")
        self.stdout.write(
            f"Đã xoá thông tin liên hệ (họ tên, email, điện thoại) của {contacts} góp ý; "
            f"{published} câu hỏi công khai chỉ còn bản công khai; "
            f"đã xoá {unsent} tệp đính kèm của biểu mẫu không được gửi."
        )

"""Daily, from cron beside feedback_cleanup (Decree 13/2023/NĐ-CP: personal data kept no longer than needed).

- client-IP hashes of comments after --ip-days (30): they only serve the rate limit;
- commenters' e-mail and phone FEEDBACK_CONTACT_RETENTION_DAYS after the consultation closed (the same
  retention as feedback); the name and organisation of a comment staff made public stay with it (they are
  already public), a private comment's are removed too.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from consultation.services import forget_contact_details


class Command(BaseCommand):
    help = (
        "Forget comment IP hashes older than --ip-days days and commenters' contact details "
        "FEEDBACK_CONTACT_RETENTION_DAYS after the consultation closed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ip-days", type=int, default=30, help="keep IP hashes this many days (at least 1)")

    def handle(self, *args, **options):
        if options["ip_days"] < 1:
            raise CommandError("--ip-days must be at least 1: the daily rate limit needs a day of hashes.")
        hashes, contacts = forget_contact_details(
            ip_days=options["ip_days"], retention_days=settings.FEEDBACK_CONTACT_RETENTION_DAYS
        )
        self.stdout.write(
            f"Đã xoá mã băm IP của {hashes} ý kiến góp ý dự thảo; đã xoá thông tin liên hệ của {contacts} ý kiến."
        )

"""E-mail the group "Tiếp nhận góp ý" the feedback still unanswered after FEEDBACK_OVERDUE_DAYS days.

Meant for cron, e.g. every working morning: `manage.py feedback_remind`."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from feedback.models import Feedback
from feedback.services import absolute, send_templated, staff_recipients


class Command(BaseCommand):
    help = "E-mail the feedback staff the list of overdue (unanswered) feedback."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only print the list")

    def handle(self, *args, **options):
        overdue = list(Feedback.objects.overdue().select_related("article").order_by("created_at")[:200])
        if not overdue:
            self.stdout.write("Không có góp ý nào quá hạn.")
            return
        for item in overdue:
            self.stdout.write(f"{item.code}  {item.created_at:%d/%m/%Y}  {item.title}")
        if options["dry_run"]:
            return
        recipients = staff_recipients()
        context = {
            "items": overdue,
            "days": settings.FEEDBACK_OVERDUE_DAYS,
            "list_url": absolute(reverse("admin:feedback_feedback_changelist") + "?qua_han=1"),
        }
        queued = send_templated("overdue", recipients, context)  # into the outbox: the mail sender delivers it
        self.stdout.write(
            f"{len(overdue)} góp ý quá hạn; "
            + (
                f"thư nhắc đã vào hàng gửi tới {len(recipients)} người."
                if queued
                else "KHÔNG có ai để nhắc (nhóm chưa có người nào có email)."
            )
        )

"""Remove autosave slots older than the retention period and edit locks whose tab is long gone (daily cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from core import editstate


class Command(BaseCommand):
    help = "Xoá bản tự lưu của biểu mẫu quản trị quá hạn giữ và khoá chỉnh sửa đã hết hạn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=getattr(settings, "EDITING_AUTOSAVE_RETENTION_DAYS", 30),
            help="Giữ bản tự lưu bao nhiêu ngày (mặc định EDITING_AUTOSAVE_RETENTION_DAYS, 30).",
        )

    def handle(self, *args, days, **options):
        slots, locks = editstate.cleanup(days=days)
        self.stdout.write(f"Đã xoá {slots} bản tự lưu cũ hơn {days} ngày và {locks} khoá chỉnh sửa hết hạn.")

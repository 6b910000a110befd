"""A one-time link for a staff account, printed (or e-mailed with --send): for the first superuser of a new
server, who has nobody to invite them, or when mail is not working yet. Whoever runs manage.py on the
server is trusted with it; the link is what the invitation e-mail would hold (portal/accounts.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import accounts


class Command(BaseCommand):
    help = (
        "In liên kết dùng một lần (đặt mật khẩu / thiết lập xác thực hai bước) cho một tài khoản cán bộ; "
        "--send để gửi qua e-mail thay vì in ra."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--kind",
            choices=accounts.KINDS,
            help="moi: đặt mật khẩu rồi thiết lập xác thực hai bước; xac-thuc: chỉ thiết lập xác thực hai bước. "
            "Mặc định: moi nếu tài khoản chưa có mật khẩu, xac-thuc nếu đã có.",
        )
        parser.add_argument("--send", action="store_true", help="Gửi liên kết tới e-mail của tài khoản.")

    def handle(self, *args, username, kind=None, send=False, **options):
        user = accounts.users().filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        if not user.is_active:
            raise CommandError(f"Tài khoản “{username}” đang bị khoá (không còn làm việc).")
        kind = kind or accounts.kind_for(user)
        if send:
            if not user.email:
                raise CommandError(f"Tài khoản “{username}” chưa có e-mail.")
            if not accounts.send_link(user, kind, settings.SITE_URL):
                raise CommandError("Chưa gửi được thư: kiểm tra cấu hình e-mail.")
            self.stdout.write(self.style.SUCCESS(f"Đã gửi liên kết tới {user.email}."))
            return
        self.stdout.write(settings.SITE_URL + accounts.link_path(user, kind))
        self.stdout.write(f"Dùng được một lần, trong {accounts.LINK_DAYS} ngày.")

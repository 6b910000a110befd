import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from portal.settings import BASE_DIR


class Command(BaseCommand):
    help = "Make sure an administrator account exists and print how to log in (development)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))

    def handle(self, *args, **options):
        User = get_user_model()
        username = options["username"]
        password_file = BASE_DIR / "var" / "admin-password"
        user = User.objects.filter(username=username).first()
        if user is None:
            # A fresh random password per machine, kept outside the repo.
            password = os.environ.get("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="admin@example.gov.vn", password=password)
            password_file.parent.mkdir(exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
        elif password_file.exists() and user.check_password(password_file.read_text().strip()):
            password = password_file.read_text().strip()
        else:
            password = None
        self.stdout.write(self.style.SUCCESS("Quản trị: http://127.0.0.1:8000/admin/"))
        if password:
            self.stdout.write(f"  Tên đăng nhập: {username}\n  Mật khẩu: {password}  (lưu trong var/admin-password)")
        else:
            self.stdout.write(f"  Tài khoản {username} đã có; đổi mật khẩu bằng: manage.py changepassword {username}")

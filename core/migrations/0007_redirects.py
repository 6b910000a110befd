# Redirects ("Chuyển hướng", core/redirects.py): old addresses that moved.
import django.contrib.postgres.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_media"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Redirect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "old_path",
                    models.CharField(
                        help_text="Đường dẫn của trang cũ, ví dụ /tin-tuc/hoi-nghi-123.html; có thể dán cả địa chỉ cũ (http://…/Default.aspx?ArticleID=123). Chỉ có tác dụng khi đường dẫn này không còn là một trang.",
                        max_length=500,
                        verbose_name="đường dẫn cũ",
                    ),
                ),
                (
                    "old_query",
                    models.CharField(
                        blank=True,
                        help_text="Phần sau dấu ? cần khớp, ví dụ ArticleID=123. Để trống: khớp mọi tham số.",
                        max_length=300,
                        verbose_name="tham số cũ",
                    ),
                ),
                (
                    "target",
                    models.CharField(
                        help_text="Đường dẫn trang mới trong cổng thông tin, ví dụ /bai-viet/ten-bai-viet/.",
                        max_length=500,
                        verbose_name="chuyển tới",
                    ),
                ),
                (
                    "permanent",
                    models.BooleanField(
                        default=True,
                        help_text="Bỏ chọn nếu trang chỉ tạm chuyển (302): công cụ tìm kiếm sẽ giữ địa chỉ cũ.",
                        verbose_name="chuyển hướng vĩnh viễn (301)",
                    ),
                ),
                ("hits", models.PositiveBigIntegerField(default=0, editable=False, verbose_name="lượt dùng")),
                (
                    "last_hit_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="dùng lần cuối"),
                ),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="ghi chú")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="tạo lúc")),
                ("path_key", models.CharField(editable=False, max_length=500)),
                (
                    "query_pairs",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=300),
                        blank=True,
                        default=list,
                        editable=False,
                        size=None,
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người tạo",
                    ),
                ),
            ],
            options={
                "verbose_name": "chuyển hướng",
                "verbose_name_plural": "chuyển hướng",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(fields=("path_key", "query_pairs"), name="core_redirect_old_address")
                ],
            },
        ),
    ]

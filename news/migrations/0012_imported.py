# What manage.py import_site read from the old portal (news.ImportedPage, news/importer).
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("news", "0011_media")]

    operations = [
        migrations.CreateModel(
            name="ImportedPage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("old_url", models.CharField(max_length=1000, unique=True, verbose_name="địa chỉ cũ")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("created", "Đã tạo bài mới"),
                            ("updated", "Đã cập nhật"),
                            ("linked", "Gắn với bài có sẵn"),
                            ("unchanged", "Không đổi"),
                            ("failed", "Không đọc được"),
                        ],
                        max_length=12,
                        verbose_name="kết quả lần cuối",
                    ),
                ),
                ("content_hash", models.CharField(blank=True, max_length=64, verbose_name="mã băm nội dung")),
                (
                    "date_estimated",
                    models.BooleanField(
                        default=False,
                        help_text="Trang cũ chỉ ghi ngày, không ghi giờ.",
                        verbose_name="giờ đăng ước lượng",
                    ),
                ),
                ("error", models.TextField(blank=True, verbose_name="lý do không đọc được")),
                ("media", models.JSONField(blank=True, default=dict, verbose_name="ảnh và tệp đã lấy")),
                ("first_seen_at", models.DateTimeField(auto_now_add=True, verbose_name="lần đầu")),
                ("last_run_at", models.DateTimeField(auto_now=True, verbose_name="lần cuối")),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="imported_pages",
                        to="news.article",
                        verbose_name="bài viết",
                    ),
                ),
            ],
            options={
                "verbose_name": "trang đã chuyển từ cổng cũ",
                "verbose_name_plural": "trang đã chuyển từ cổng cũ",
                "ordering": ["-last_run_at", "-id"],
            },
        ),
    ]

# Document groups with their own pages: "Công khai ngân sách" and "Nhiệm vụ KH&CN" (documents.sections).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_media")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="section",
            field=models.CharField(
                blank=True,
                choices=[
                    ("cong-khai-ngan-sach", "Công khai ngân sách"),
                    ("nhiem-vu-tuyen-chon", "Nhiệm vụ KH&CN: thông báo đặt hàng, tuyển chọn"),
                    ("nhiem-vu-ket-qua", "Nhiệm vụ KH&CN: kết quả thực hiện"),
                ],
                help_text="Để trống với văn bản thường; chọn để văn bản hiện cả ở trang Công khai ngân sách hoặc "
                "Nhiệm vụ KH&CN.",
                max_length=32,
                verbose_name="chuyên mục riêng",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("is_published", True), models.Q(("section", ""), _negated=True)),
                fields=["section", "-issued_on", "-id"],
                name="document_section_idx",
            ),
        ),
    ]

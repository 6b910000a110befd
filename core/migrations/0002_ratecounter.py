from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=40, verbose_name="giới hạn")),
                ("client", models.CharField(max_length=64, verbose_name="người dùng (mã băm)")),
                ("window_start", models.DateTimeField(verbose_name="đầu khoảng")),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="hết hạn lúc")),
                ("hits", models.PositiveIntegerField(default=0, verbose_name="số lần")),
            ],
            options={
                "verbose_name": "bộ đếm giới hạn truy cập",
                "verbose_name_plural": "bộ đếm giới hạn truy cập",
                "constraints": [
                    models.UniqueConstraint(fields=("scope", "client", "window_start"), name="core_ratecounter_window")
                ],
            },
        ),
    ]

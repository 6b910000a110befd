# Autosave slots and edit locks of admin forms (core/editstate.py, core/editing.py).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("core", "0004_workflow"),
    ]

    operations = [
        migrations.CreateModel(
            name="AutosaveSlot",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.CharField(blank=True, max_length=64, verbose_name="mã đối tượng")),
                ("data", models.JSONField(default=dict, verbose_name="nội dung")),
                ("saved_at", models.DateTimeField(db_index=True, verbose_name="lưu lúc")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                        verbose_name="loại nội dung",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người soạn",
                    ),
                ),
            ],
            options={
                "verbose_name": "bản tự lưu",
                "verbose_name_plural": "bản tự lưu",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "content_type", "object_id"), name="core_autosave_one_per_form"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="EditLock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_id", models.CharField(max_length=64, verbose_name="mã đối tượng")),
                ("acquired_at", models.DateTimeField(verbose_name="sửa từ lúc")),
                ("heartbeat_at", models.DateTimeField(db_index=True, verbose_name="còn mở lúc")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                        verbose_name="loại nội dung",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người sửa",
                    ),
                ),
            ],
            options={
                "verbose_name": "khoá chỉnh sửa",
                "verbose_name_plural": "khoá chỉnh sửa",
                "constraints": [
                    models.UniqueConstraint(fields=("content_type", "object_id"), name="core_editlock_one")
                ],
            },
        ),
    ]

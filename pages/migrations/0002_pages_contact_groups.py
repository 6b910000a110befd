"""The two fixed pages (empty until editors write them) and the contact row with the details the
footer shows. The publishers' permission to edit them was given here too; since then roles are declared
once (portal/roles.py) and made true after every migrate (core/roles.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Page.objects.get_or_create(kind="gioi-thieu", defaults={"title": "Giới thiệu", "title_en": "About us"})
    Page.objects.get_or_create(kind="lien-he", defaults={"title": "Liên hệ", "title_en": "Contact"})
    apps.get_model("pages", "ContactInfo").objects.get_or_create(
        pk=1,
        defaults={
            "name": "Sở Khoa học và Công nghệ",
            "name_en": "Department of Science and Technology",
            "address": "Số 1, đường Trần Hưng Đạo, thành phố, tỉnh",
            "phone": "0200 3826 789",
            "email": "sokhcn@example.gov.vn",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("news", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The two fixed pages (empty until editors write them), the contact row with the details the
footer shows, and the publishers' permission to edit them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PUBLISHERS = "Duyệt bài"
PERMISSIONS = [
    "pages.change_page", "pages.view_page",
    "pages.add_leader", "pages.change_leader", "pages.delete_leader", "pages.view_leader",
    "pages.change_contactinfo", "pages.view_contactinfo",
]


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
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=PUBLISHERS)
    for dotted in PERMISSIONS:
        app_label, codename = dotted.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=PUBLISHERS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="pages"))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("news", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

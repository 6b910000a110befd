"""The usual document types (editable afterwards). The editors' groups' permissions were given here too;
since then roles are declared once (portal/roles.py) and made true after every migrate (core/roles.py)."""

from django.db import migrations

from core.slugs import vn_slugify

TYPES = [
    "Luật", "Nghị định", "Nghị quyết", "Thông tư", "Quyết định", "Chỉ thị", "Kế hoạch",
    "Công văn", "Thông báo", "Báo cáo", "Hướng dẫn",
]


def forwards(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for position, name in enumerate(TYPES, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"slug": vn_slugify(name), "position": position})


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("news", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

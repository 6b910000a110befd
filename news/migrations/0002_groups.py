"""Made the editors' and publishers' groups. Since then roles are declared once (portal/roles.py) and
made true after every migrate (core/roles.py); this step is kept, empty, for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

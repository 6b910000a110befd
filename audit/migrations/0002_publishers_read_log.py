"""Let the publishers read the audit trail. Since then roles are declared once (portal/roles.py) and
made true after every migrate (core/roles.py); this step is kept, empty, for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("news", "0002_groups"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

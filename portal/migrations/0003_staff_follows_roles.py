"""A role opens the admin (portal/accounts.py keeps is_staff in step with the groups from now on): accounts
put in a group before that rule, and never ticked "staff", get the access their role promised. Nobody loses
access here; an account without a role loses it the next time its roles change."""

from django.conf import settings
from django.db import migrations


def staff_for_members(apps, schema_editor):
    app_label, model_name = settings.AUTH_USER_MODEL.split(".")
    User = apps.get_model(app_label, model_name)
    User.objects.filter(is_staff=False, groups__isnull=False).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_delete_contentversion"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(staff_for_members, migrations.RunPython.noop)]

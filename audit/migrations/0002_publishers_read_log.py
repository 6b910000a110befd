from django.contrib.auth.management import create_permissions
from django.db import migrations

PUBLISHERS = "Duyệt bài"  # news/migrations/0002_groups.py


def grant(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group can hold them.
    app_config = apps.get_app_config("audit")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PUBLISHERS)
    group.permissions.add(Permission.objects.get(content_type__app_label="audit", codename="view_auditentry"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=PUBLISHERS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="audit"))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("news", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

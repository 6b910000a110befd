from django.contrib.auth.management import create_permissions
from django.db import migrations

LEADERS = "Lãnh đạo"


def create_group(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the group can hold them.
    app_config = apps.get_app_config("stats")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=LEADERS)
    group.permissions.add(Permission.objects.get(content_type__app_label="stats", codename="view_dashboard"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=LEADERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Biên tập viên"
PUBLISHERS = "Duyệt bài"

GROUP_PERMISSIONS = {
    EDITORS: [
        "news.add_article", "news.change_article", "news.view_article",
        "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
        "news.view_category",
    ],
    PUBLISHERS: [
        "news.add_article", "news.change_article", "news.delete_article", "news.view_article",
        "news.publish_article",
        "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
        "news.add_category", "news.change_category", "news.view_category",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

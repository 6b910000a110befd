"""The usual document types (editable afterwards), and the editors' groups' permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from core.slugs import vn_slugify

TYPES = [
    "Luật", "Nghị định", "Nghị quyết", "Thông tư", "Quyết định", "Chỉ thị", "Kế hoạch",
    "Công văn", "Thông báo", "Báo cáo", "Hướng dẫn",
]
EDITORS = "Biên tập viên"
PUBLISHERS = "Duyệt bài"
EDIT = [
    f"documents.{action}_{model}"
    for model in ("document", "documentfile", "procedure")
    for action in ("add", "change", "view")
] + ["documents.delete_documentfile", "documents.view_documenttype", "documents.view_issuingbody", "documents.view_field"]
GROUP_PERMISSIONS = {
    EDITORS: EDIT,
    PUBLISHERS: EDIT
    + ["documents.publish_document", "documents.delete_document", "documents.delete_procedure"]
    + [
        f"documents.{action}_{model}"
        for model in ("documenttype", "issuingbody", "field")
        for action in ("add", "change", "delete")
    ],
}


def forwards(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for position, name in enumerate(TYPES, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"slug": vn_slugify(name), "position": position})
    # Permissions are normally made after migrate; make them now so the groups can hold them.
    app_config = apps.get_app_config("documents")
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


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="documents"))


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("news", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

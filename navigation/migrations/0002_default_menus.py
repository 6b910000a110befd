"""The menus base.html used to hard-code, as rows staff can edit (a copy of navigation/defaults.py as it was)."""

from django.db import migrations

MAIN = ["trang-chu", "gioi-thieu", "chuyen-muc-menu", "van-ban", "thu-tuc-hanh-chinh", "hoi-dap", "gop-y", "lien-he"]
TITLES = {"gop-y": "Góp ý"}
FOOTER = ["gioi-thieu", "van-ban", "thu-tuc-hanh-chinh", "lien-he", "gop-y", "hoi-dap", "quyen-rieng-tu"]


def create(apps, schema_editor):
    MenuItem = apps.get_model("navigation", "MenuItem")
    if MenuItem.objects.exists():
        return
    rows = [
        MenuItem(menu="main", kind="page", named_page=key, title=TITLES.get(key, ""), position=(index + 1) * 10)
        for index, key in enumerate(MAIN)
    ]
    rows += [
        MenuItem(menu="footer", kind="page", named_page=key, position=(index + 1) * 10) for index, key in enumerate(FOOTER)
    ]
    MenuItem.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("navigation", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

# Placeholder in the migration chain (keeps parallel work on one line of migrations); filled in by its change.
# (The workflow needs no change to documents' tables: a procedure made in the admin starts unpublished.)
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_types_and_groups")]

    operations = []

# Placeholder in the migration chain (keeps parallel work on one line of migrations); filled in by its change.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("stats", "0003_sharded_counters")]

    operations = []

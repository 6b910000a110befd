"""Upkeep of the stats tables, safe to run every minute from cron (see docs/stats.md):

* * * * *  cd /srv/portal && .venv/bin/python manage.py stats_rollup --quiet
"""

from django.core.management.base import BaseCommand

from stats.services import rollup


class Command(BaseCommand):
    help = "Close finished days, prune de-duplication rows, fold counter shards (idempotent; cron every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="print nothing unless something was wrong")

    def handle(self, *args, **options):
        done = rollup()
        if done is None:
            self.stderr.write("stats_rollup: another run holds the lock; nothing done.")
            return
        if not options["quiet"]:
            self.stdout.write(", ".join(f"{name}={count}" for name, count in done.items()))

"""Invented traffic history for the published articles, for a demo or a screenshot of the dashboard.
Never run it in production.

Fills only days that have no traffic yet, so running it twice adds nothing (stats.demo).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from news.models import Article
from stats.demo import invent_history


class Command(BaseCommand):
    help = "Invent plausible visits and views for the past days that have none (demo data; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="how many past days to fill (today excluded)")

    def handle(self, *args, **options):
        published = Article.objects.published().order_by("-publish_at").values_list("id", "publish_at")[:200]
        articles = [(pk, timezone.localdate(publish_at)) for pk, publish_at in published]
        invented = invent_history(articles, options["days"])
        if not invented.days:
            self.stdout.write("Nothing to fill.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Invented traffic for {invented.days} day(s): {invented.visits} visits, {invented.views} views."
            )
        )

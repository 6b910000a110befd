"""RSS 2.0 feed of the newest 50 published legal documents (/van-ban/rss/), links on SITE_URL."""

from datetime import datetime, time

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.feeds import SiteFeed, absolute

from .models import Document

FEED_SIZE = 50


class LatestDocumentsFeed(SiteFeed):
    ttl = 60

    def title(self):
        return _("%(site)s – Văn bản mới") % {"site": settings.SITE_NAME}

    def description(self):
        return _("Văn bản mới ban hành, công bố trên cổng thông tin của %(site)s.") % {"site": settings.SITE_NAME}

    def link(self):
        return absolute(reverse("documents:list"))

    def feed_url(self):
        return absolute(reverse("documents:rss"))

    def items(self):
        return (
            Document.objects.published()
            .only("id", "slug", "number", "type_name", "issuer_name", "summary", "issued_on", "updated_at")
            .prefetch_related("fields")
            .newest()[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.title}: {item.summary}" if len(item.summary) <= 160 else f"{item.title}: {item.summary[:157]}…"

    def item_description(self, item):
        return _("%(summary)s (%(issuer)s ban hành ngày %(date)s)") % {
            "summary": item.summary,
            "issuer": item.issuer_name,
            "date": item.issued_on.strftime("%d/%m/%Y"),
        }

    def item_pubdate(self, item):
        return datetime.combine(item.issued_on, time(8, 0), tzinfo=timezone.get_default_timezone())

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.type_name, *(field.name for field in item.fields.all())]

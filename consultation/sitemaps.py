"""The published consultations' section of the sitemap (/sitemap-lay-y-kien.xml), offered to portal/sitemaps.py."""

from django.db.models import Max

from core.sitemaps import SiteUrlSitemap, W3CDatetime

from .models import Consultation


class ConsultationSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return Consultation.objects.published().only("id", "slug", "updated_at").order_by("-opens_at", "-id")

    def get_latest_lastmod(self):
        return Consultation.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def rows(self, page):
        url = self.url_for("consultation:detail")
        start = (page - 1) * self.limit
        for slug, lastmod in self.items().values_list("slug", W3CDatetime("updated_at"))[start : start + self.limit]:
            yield url(slug), lastmod


SECTIONS = {"lay-y-kien": ConsultationSitemap}

"""The published documents' section of the sitemap (/sitemap-van-ban.xml), offered to portal/sitemaps.py."""

from django.db.models import Max

from core.sitemaps import SiteUrlSitemap, W3CDatetime

from .models import Document


class DocumentSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        return Document.objects.published().only("id", "slug", "updated_at").order_by("-issued_on", "-id")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return Document.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def rows(self, page):
        url = self.url_for("documents:detail")
        start = (page - 1) * self.limit
        for slug, lastmod in self.items().values_list("slug", W3CDatetime("updated_at"))[start : start + self.limit]:
            yield url(slug), lastmod


SECTIONS = {"van-ban": DocumentSitemap}

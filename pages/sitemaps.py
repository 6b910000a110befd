"""The Department's pages in the sitemap (/sitemap-trang.xml): each page with content, in each language
that has it. Offered to portal/sitemaps.py."""

from django.conf import settings
from django.db.models import CharField, Max, Value

from core.sitemaps import SiteUrlSitemap, W3CDatetime

from .models import Page


class DepartmentPageSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        """(kind, language, lastmod) of every page version with content: one row per URL."""

        def versions(language, **empty):
            return (
                Page.objects.exclude(**empty)
                .annotate(language=Value(language, output_field=CharField()), lastmod=W3CDatetime("updated_at"))
                .values_list("kind", "language", "lastmod")
            )

        return versions("vi", body="").union(versions("en", body_en=""), all=True).order_by("kind", "-language")

    def get_latest_lastmod(self):
        return Page.objects.aggregate(latest=Max("updated_at"))["latest"]

    def rows(self, page):
        if page != 1:
            return
        for kind, language, lastmod in self.items():
            yield settings.SITE_URL + Page.url_for(kind, language), lastmod


SECTIONS = {"trang": DepartmentPageSitemap}

"""The Department's pages in the sitemap (/sitemap-trang.xml): each page with content, in each language
that has it. Offered to portal/sitemaps.py."""

from django.conf import settings
from django.db.models import CharField, Max, Value
from django.urls import reverse

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
            names = Page.URL_NAMES[kind]
            yield settings.SITE_URL + reverse(names[1] if language == "en" else names[0]), lastmod


SECTIONS = {"trang": DepartmentPageSitemap}

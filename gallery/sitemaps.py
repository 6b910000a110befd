"""Published galleries and videos in the sitemap (/sitemap-thu-vien-anh.xml, /sitemap-video.xml).
Offered to portal/sitemaps.py."""

from django.db.models import Max
from django.db.models.functions import Greatest

from core.sitemaps import SiteUrlSitemap, W3CDatetime

from .models import Gallery, Video


class PublishedSitemap(SiteUrlSitemap):
    model = None
    url_name = ""
    changefreq = "monthly"

    def items(self):
        return (
            self.model.objects.published()
            .only("id", "slug", "publish_at", "updated_at")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.publish_at)

    def get_latest_lastmod(self):
        latest = self.model.objects.published().aggregate(updated=Max("updated_at"), published=Max("publish_at"))
        values = [value for value in latest.values() if value]
        return max(values) if values else None

    def rows(self, page):
        url = self.url_for(self.url_name)
        start = (page - 1) * self.limit
        columns = self.items().values_list("slug", W3CDatetime(Greatest("updated_at", "publish_at")))
        for slug, lastmod in columns[start : start + self.limit].iterator(chunk_size=5000):
            yield url(slug), lastmod


class GallerySitemap(PublishedSitemap):
    model = Gallery
    url_name = "gallery:detail"


class VideoSitemap(PublishedSitemap):
    model = Video
    url_name = "gallery:video"


SECTIONS = {"thu-vien-anh": GallerySitemap, "video": VideoSitemap}

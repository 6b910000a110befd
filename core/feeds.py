"""What every RSS feed of the portal shares (news, legal documents): RSS 2.0 in Vietnamese, the
Department's copyright, items linked and identified by their absolute URL on settings.SITE_URL."""

import logging

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.utils.feedgenerator import Rss201rev2Feed

logger = logging.getLogger(__name__)
SIZE_CACHE_SECONDS = 24 * 3600


def absolute(url: str) -> str:
    """An absolute URL: storage/static URLs that are already absolute (a CDN, S3) stay as they are."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return f"{settings.SITE_URL}{url}"


def enclosure_size(image) -> int:
    """Size in bytes of a stored rendition, remembered in the cache (a rendition never changes
    under its name). 0 when the file cannot be read: RSS readers accept 0 for "unknown"."""
    key = f"rendition-size:{image.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = image.storage.size(image.name)
        except (OSError, ValueError):
            logger.warning("Feed enclosure %s: file missing", image.name)
            return 0
        cache.set(key, size, SIZE_CACHE_SECONDS)
    return size


class SiteFeed(Feed):
    """What every feed of the portal shares: RSS 2.0 in Vietnamese, the Department's copyright, and
    items linked (and identified) by their absolute URL."""

    feed_type = Rss201rev2Feed
    language = "vi"

    def feed_copyright(self):
        return f"© {settings.SITE_NAME}"

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return absolute(item.get_absolute_url())  # the slug never changes once published

    item_guid_is_permalink = True

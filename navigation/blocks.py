"""navigation's page blocks (core.blocks): banners, "Thông báo", "Liên kết website".

Banners and announcements end by the clock ("hiện đến", "hết hạn lúc"), which moves no content version:
their fragments are also keyed by the current CLOCK_SECONDS period, so one past its end leaves within
that time (plus the page cache's PAGE_CACHE_SECONDS on a cached page)."""

from django.utils.translation import gettext_lazy as _

from core import blocks

from .models import Announcement, Banner, WebLink

CLOCK_SECONDS = 60
ANNOUNCEMENTS_SHOWN = 5


def banners_of(place):
    def context(where):
        banners = list(Banner.objects.current().filter(place=place).order_by("position", "id"))
        return {"banners": banners, "place": place} if banners else None

    return context


def announcements(where):
    items = list(Announcement.objects.current()[:ANNOUNCEMENTS_SHOWN])
    return {"announcements": items} if items else None


WEB_LINKS_PAGE = "web-links"  # /lien-ket/, which shows the same choice itself: no sidebar copy there


def web_links(where):
    items = list(WebLink.objects.published().order_by("position", "id"))
    return {"links": items, "logos": [link for link in items if link.logo and link.in_logo_row]} if items else None


def register():
    blocks.page_type("navigation:web_links", WEB_LINKS_PAGE)
    blocks.register(
        "banners-home-top",
        _("Banner đầu trang chủ"),
        places=blocks.HOME_TOP,
        order=10,
        template="navigation/_banners.html",
        context=banners_of(Banner.Place.HOME_TOP),
        cache_seconds=CLOCK_SECONDS,
    )
    blocks.register(
        "banners-sidebar",
        _("Banner cột bên"),
        places=blocks.SIDEBAR,
        order=10,
        template="navigation/_banners.html",
        context=banners_of(Banner.Place.SIDEBAR),
        cache_seconds=CLOCK_SECONDS,
    )
    blocks.register(
        "announcements",
        _("Thông báo"),
        places=blocks.SIDEBAR,
        order=20,
        template="navigation/_announcements.html",
        context=announcements,
        cache_seconds=CLOCK_SECONDS,
    )
    blocks.register(
        "web-links",
        _("Liên kết website"),
        places=blocks.SIDEBAR,
        order=70,
        template="navigation/_links.html",
        context=web_links,
        not_pages=WEB_LINKS_PAGE,
    )

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from core import sitemaps
from news.uploads import editor_image_upload

from . import views
from .sitemaps import SECTIONS

admin.site.site_header = _("Quản trị Cổng thông tin Sở Khoa học và Công nghệ")
admin.site.site_title = _("Quản trị cổng thông tin")
admin.site.index_title = _("Bảng điều khiển")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Browsers and bots ask for /favicon.ico whatever the page links (scripts/favicon.py draws it).
    path("favicon.ico", serve, {"path": "favicon.ico", "document_root": settings.STATICFILES_DIRS[0]}, name="favicon"),
    path("sitemap.xml", sitemaps.sitemap, {"sections": SECTIONS}, name="sitemap"),
    path("sitemap-index.xml", sitemaps.sitemap_index, {"sections": SECTIONS}, name="sitemap-index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, {"sections": SECTIONS}, name="sitemap-section"),
    # CKEditor 5 image uploads go through our own checks (news.uploads), under the package's URL name.
    path("ckeditor5/image_upload/", editor_image_upload, name="ck_editor_5_upload_file"),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("", include("feedback.urls")),
    path("", include("stats.urls")),
    path("", include("documents.urls")),
    path("", include("agenda.urls")),
    path("", include("consultation.urls")),
    path("", include("gallery.urls")),
    path("", include("navigation.urls")),
    path("", include("news.urls")),
]

# What exists in English too: in Vietnamese (the default) unprefixed, as ever; in English under /en/ with the
# routes translated in locale/en (/en/about/, /en/contact/, /en/rating/), and /en/ itself. LocaleMiddleware
# activates the language the prefix names, never one from a cookie or Accept-Language (portal/settings.py).
# Last, after news.urls: "/" is the Vietnamese home page, and the English landing is the same empty route.
urlpatterns += i18n_patterns(
    path("", include("pages.urls")),
    path("", include("rating.urls")),
    prefix_default_language=False,
)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

if settings.SERVE_MEDIA:
    # Single-server mode: the app serves uploaded media itself; behind nginx, SERVE_MEDIA=0 (docs/deploy.md).
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.+)$", views.media, name="media"))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Giới thiệu, liên hệ")

    def ready(self):
        from .search import register_provider

        register_provider()  # the pages in the site-wide search (core.search.providers)

        from core import links  # what menus may point at (navigation)

        links.register_model(self.get_model("Page"), _("Trang giới thiệu, liên hệ"))
        links.register_page("gioi-thieu", _("Giới thiệu"), "pages:about")
        links.register_page("lien-he", _("Liên hệ"), "pages:contact")

        from . import media  # body images and portraits as media library items (core.media)

        media.track()

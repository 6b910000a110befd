from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Giới thiệu, liên hệ")

    def ready(self):
        from .search import register_provider

        register_provider()  # the pages in the site-wide search (core.search.providers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Tin bài")

    def ready(self):
        from core import publishing

        publishing.register_scheduled(self.get_model("Article"))

        from . import popular  # "Đọc nhiều" (a stats live block) and the articles' names on the dashboard

        popular.connect()

        from .search import register_provider  # the articles in the site-wide search (core.search.providers)

        register_provider()

        from core import blocks  # the page types of news's pages, for the blocks of each (core.blocks)

        for view_name, kind in (("news:home", "home"), ("news:article", "article"), ("news:category", "category")):
            blocks.page_type(view_name, kind)

        from . import menu  # what menus may point at (core.links): categories, the home page, the menu's categories

        menu.register()

        from . import cards  # "Bài chờ duyệt", "Bài của tôi đang nháp" on the admin home (core.admincards)

        cards.register()

        from . import media  # covers, body images and attachments as media library items (core.media)

        media.track()

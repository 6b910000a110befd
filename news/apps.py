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

        from . import cards  # "Bài chờ duyệt", "Bài của tôi đang nháp" on the admin home (core.admincards)

        cards.register()

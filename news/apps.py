from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Tin bài")

    def ready(self):
        from core import publishing

        publishing.register_scheduled(self.get_model("Article"))

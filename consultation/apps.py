from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("Lấy ý kiến dự thảo")

    def ready(self):
        from core import publishing

        publishing.register_scheduled(self.get_model("Consultation"))

        from .search import register_provider  # consultations in the site-wide search (core.search.providers)

        register_provider()

        from core import links  # "Lấy ý kiến dự thảo" for menus

        links.register_page("lay-y-kien", _("Lấy ý kiến dự thảo"), "consultation:list")

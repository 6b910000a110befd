from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = _("Lịch công tác")

    def ready(self):
        from core import publishing

        publishing.register_scheduled(self.get_model("Entry"))

        from . import blocks, signals

        signals.connect()  # the home block's fragment follows every change
        blocks.register()  # this week on the home page (core.blocks); "Lịch công tác" for menus (core.links)

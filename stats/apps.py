from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Thống kê truy cập")

    def ready(self):
        from . import live, services

        live.register(services.BOX, services.render_box, services.box_seconds)

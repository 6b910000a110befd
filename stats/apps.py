from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Thống kê truy cập")

    def ready(self):
        from . import live, services

        live.register(services.BOX, services.render_box, services.box_seconds)

        from core import blocks, links

        links.register_page("quyen-rieng-tu", _("Quyền riêng tư"), "stats:privacy")

        # "Thống kê truy cập" at the foot of every sidebar: a marker filled in on the way out (stats.live).
        blocks.register(
            "stats-box",
            _("Thống kê truy cập"),
            places=blocks.SIDEBAR,
            order=90,
            render=live.page_block(services.BOX),
            cache=False,
        )

        from . import dashboard  # "Người đọc tìm gì" on the leaders' dashboard (core.dashboard)

        dashboard.register()

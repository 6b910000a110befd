from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NavigationConfig(AppConfig):
    name = "navigation"
    verbose_name = _("Menu, liên kết, thông báo")

    def ready(self):
        from core import publishing

        for name in ("MenuItem", "WebLink", "Banner", "Announcement"):
            publishing.register_scheduled(self.get_model(name))

        from . import blocks, signals

        signals.connect()
        blocks.register()

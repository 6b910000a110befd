from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from core import roles

        from . import signals
        from .roles import ROLES

        signals.connect()
        roles.declare(*ROLES)

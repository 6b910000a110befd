from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from core import roles

        from . import accounts, signals
        from .roles import ROLES

        signals.connect()
        accounts.connect()  # a role opens the admin: is_staff follows the groups
        roles.declare(*ROLES)

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every published thing shares; imports no app of the portal (DESIGN.md, "Shape")."""

    name = "core"
    verbose_name = _("Nền tảng chung")

    def ready(self):
        from . import roles

        # After every migrate (and flush): the declared roles' groups, with exactly their permissions.
        post_migrate.connect(roles.after_migrate, sender=self, dispatch_uid="core-roles")

        from . import cards  # "Thư không gửi được" on the admin home (core.admincards)

        cards.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every published thing shares; imports no app of the portal (DESIGN.md, "Shape")."""

    name = "core"
    verbose_name = _("Nền tảng chung")

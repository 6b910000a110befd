"""The libraries' apps under Vietnamese names in the admin (index, side menu, breadcrumbs).

Their models' own strings are translated by the project's catalogue (locale/vi/LC_MESSAGES/django.po) where
the library marks them for translation (django-axes does); django-otp's TOTP plugin does not, so its model's
names are given here, on `_meta` (the admin reads them there; migrations read `Meta`'s original values, so
no migration follows) and its admin, like axes' login attempts, is replaced by one with Vietnamese labels (portal/admin_thirdparty.py).
"""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Đăng nhập")

    def ready(self):
        super().ready()
        from . import admin_thirdparty

        admin_thirdparty.register_axes()


class TOTPConfig(AppConfig):
    name = "django_otp.plugins.otp_totp"
    label = "otp_totp"
    verbose_name = _("Xác thực hai bước")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        model = self.get_model("TOTPDevice")
        model._meta.verbose_name = _("thiết bị xác thực hai bước")
        model._meta.verbose_name_plural = _("thiết bị xác thực hai bước")

        from . import admin_thirdparty

        admin_thirdparty.register_totp()

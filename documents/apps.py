from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản, thủ tục hành chính")

    def ready(self):
        from . import signals
        from .search import register_providers

        signals.connect()
        register_providers()  # documents and procedures in the site-wide search (core.search.providers)

        from . import cards  # "Văn bản sắp hết hiệu lực" on the admin home (core.admincards)

        cards.register()

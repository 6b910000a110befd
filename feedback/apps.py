from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Góp ý, hỏi đáp")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .search import register_provider

        register_provider()  # the public Q&A in the site-wide search (core.search.providers)

        from . import cards  # "Góp ý mới / quá hạn" on the admin home (core.admincards)

        cards.register()

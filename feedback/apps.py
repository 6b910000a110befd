from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Góp ý, hỏi đáp")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .search import register_provider

        register_provider()  # the public Q&A in the site-wide search (core.search.providers)

        from core import links  # pages menus may point at (navigation)

        links.register_page("hoi-dap", _("Hỏi đáp"), "feedback:qa")
        links.register_page("gop-y", _("Gửi góp ý, câu hỏi"), "feedback:create")

        from . import cards  # "Góp ý mới / quá hạn" on the admin home (core.admincards)

        cards.register()

        from . import dashboard  # "Góp ý của người dân" on the leaders' dashboard (core.dashboard)

        dashboard.register()

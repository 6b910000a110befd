from django.conf import settings
from django.views.generic import TemplateView


class PrivacyView(TemplateView):
    """What the visitor cookie is, what is kept and for how long."""

    template_name = "stats/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            dedup_minutes=settings.STATS_DEDUP_MINUTES,
            online_minutes=settings.STATS_ONLINE_MINUTES,
            cookieless_per_minute=settings.STATS_COOKIELESS_PER_MINUTE,
            contact_retention_days=settings.FEEDBACK_CONTACT_RETENTION_DAYS,
            **kwargs,
        )

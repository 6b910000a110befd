from django import template

from .. import services
from ..forms import RatingForm

register = template.Library()


@register.inclusion_tag("rating/_form.html", takes_context=True)
def rating_form(context, prefix="rating-footer", form=None):
    """The rating form, the same for every reader (no CSRF token: see rating.views), in the page's language."""
    request = context.get("request")
    return {
        "form": form or RatingForm(auto_id=f"{prefix}-%s"),
        "prefix": prefix,
        "page_path": request.path if request is not None else "",
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE") or "vi",
    }


@register.inclusion_tag("rating/admin/_dashboard_section.html")
def rating_dashboard(months=12, comments=20):
    """The leaders' dashboard section: counts per level per month, and the latest comments (one query)."""
    rows, latest = services.dashboard(months, comments)
    return {"levels": services.LEVELS, "months": rows, "comments": latest, "month_count": months}

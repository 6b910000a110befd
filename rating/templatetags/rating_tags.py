from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.fragments import remembered

from .. import services
from ..forms import RatingForm

register = template.Library()


@register.simple_tag(takes_context=True)
def rating_form(context, prefix="rating-footer", form=None):
    """The rating form, the same for every reader (no CSRF token: see rating.views), in the page's language.
    An unbound form is rendered once per page, prefix and language in each process (core.fragments)."""
    request = context.get("request")
    values = {
        "form": form or RatingForm(auto_id=f"{prefix}-%s"),
        "prefix": prefix,
        "page_path": request.path if request is not None else "",
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE") or "vi",
    }

    def render():
        return render_to_string("rating/_form.html", values)

    if form is not None:
        return mark_safe(render())  # noqa: S308 (our template, autoescaped)
    return remembered(("rating-form", prefix, values["page_path"], values["LANGUAGE_CODE"], get_language()), render)


@register.inclusion_tag("rating/admin/_dashboard_section.html")
def rating_dashboard(months=12, comments=20):
    """The leaders' dashboard section: counts per level per month, and the latest comments (one query)."""
    rows, latest = services.dashboard(months, comments)
    return {"levels": services.LEVELS, "months": rows, "comments": latest, "month_count": months}

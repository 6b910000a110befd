from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.fragments import remembered

from .. import services
from ..forms import RatingForm

register = template.Library()
PATH_MARK = "\ue000page-path\ue001"  # private-use characters: no path a reader sends can hold them


@register.simple_tag(takes_context=True)
def rating_form(context, prefix="rating-footer", form=None):
    """The rating form, the same for every reader (no CSRF token: see rating.views), in the page's language.
    An unbound form is rendered once per prefix and language (core.fragments)."""
    request = context.get("request")
    values = {
        "form": form or RatingForm(auto_id=f"{prefix}-%s"),
        "prefix": prefix,
        "page_path": request.path if request is not None else "",
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE") or "vi",
    }

    if form is not None:
        return mark_safe(render_to_string("rating/_form.html", values))  # noqa: S308 (our template, autoescaped)
    # One entry per prefix and language, not per page: the page's path goes in after (escaped), so a site
    # with thousands of articles does not fill the cache with copies of one form.
    html = remembered(
        ("rating-form", prefix, values["LANGUAGE_CODE"], get_language()),
        lambda: render_to_string("rating/_form.html", {**values, "page_path": PATH_MARK}),
    )
    return mark_safe(html.replace(PATH_MARK, escape(values["page_path"])))  # noqa: S308 (escaped above)


@register.inclusion_tag("rating/admin/_dashboard_section.html")
def rating_dashboard(months=12, comments=20):
    """The leaders' dashboard section: counts per level per month, and the latest comments (one query)."""
    rows, latest = services.dashboard(months, comments)
    return {"levels": services.LEVELS, "months": rows, "comments": latest, "month_count": months}

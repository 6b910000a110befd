"""The language switch in base.html: the same page in the other language when it has one (the routes in
i18n_patterns, portal/urls.py), otherwise the other language's home page."""

from django import template
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()

HOME = {"vi": "news:home", "en": "pages:home"}


@register.simple_tag(takes_context=True)
def counterpart_url(context, language):
    """This page's address in `language` (/danh-gia/ ↔ /en/rating/), or that language's home page (/ or /en/).
    Depends on the path only, so a cached page may hold it."""
    request = context.get("request")
    path = request.path if request is not None else ""
    url = translate_url(path, language) if path else ""
    if url and url != path:
        return url
    with translation.override(language):
        return reverse(HOME[language])

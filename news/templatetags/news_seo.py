"""Search-engine and sharing metadata for article pages (templates/news/_article_meta.html)."""

import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from news.feeds import absolute

register = template.Library()

# As django.utils.html.json_script: nothing in the JSON can close the <script> element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def absolute_url(url):
    """An absolute URL on settings.SITE_URL (kept as is when already absolute)."""
    return absolute(str(url)) if url else ""


@register.simple_tag
def site_logo_url():
    return absolute(static("img/logo.svg"))


@register.simple_tag
def cover_url(article):
    """The 1200 px rendition of the cover, absolute, or "" without a cover."""
    return absolute(article.cover_1200.url) if article.cover else ""


def article_structured_data(article):
    """schema.org NewsArticle for an article (https://developers.google.com/search/docs/appearance/structured-data/article)."""
    url = absolute(article.get_absolute_url())
    publisher = {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": site_logo_url()},
    }
    if article.author:
        author = {"@type": "Person", "name": article.author}
    else:
        author = {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute("/")}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],
        "description": article.description[:300],
        "datePublished": timezone.localtime(article.publish_at).isoformat(),
        "dateModified": timezone.localtime(max(article.updated_at, article.publish_at)).isoformat(),
        "author": [author],
        "publisher": publisher,
        "image": [cover_url(article) or site_logo_url()],
        "inLanguage": "vi",
    }
    if article.category_id:
        data["articleSection"] = article.category.name
    return data


@register.simple_tag
def article_jsonld(article):
    """<script type="application/ld+json"> with the article's NewsArticle data, safe to embed."""
    payload = json.dumps(article_structured_data(article), ensure_ascii=False, separators=(",", ":"))
    safe_payload = mark_safe(payload.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 (cannot close the <script>)
    return format_html('<script type="application/ld+json">{}</script>', safe_payload)

"""What makes the article page light on a weak connection."""

import re

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# The body is sanitised on save (core.sanitize): nh3 writes every image as `<img ` + its allowed attributes,
# none of which is `loading`, so the tag can be marked without parsing the HTML again.
_IMG = re.compile(r"<img(?=[\s>/])", re.IGNORECASE)


@register.filter
def lazy_images(html):
    """The article body (already sanitised) with its images loaded only when the reader scrolls near them:
    on a phone they are below the fold, under the title, the summary and the cover."""
    return mark_safe(_IMG.sub('<img loading="lazy" decoding="async"', html or ""))  # noqa: S308 - sanitised on save

from django import template
from django.utils.safestring import mark_safe

from ..live import format_number, marker

register = template.Library()


@register.filter
def thousands(value):
    """1234 → "1.234" in Vietnamese (the active language's thousand separator)."""
    try:
        return format_number(value)
    except (TypeError, ValueError):
        return value


@register.simple_tag
def live_block(name):
    """Where the live block `name` goes (stats.live): filled in on the way out, cached page or not."""
    return mark_safe(marker(name).decode())  # noqa: S308 (an HTML comment of a checked name)

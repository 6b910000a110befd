from django import template

from ..services import format_number

register = template.Library()


@register.filter
def thousands(value):
    """1234 → "1.234" in Vietnamese (the active language's thousand separator)."""
    try:
        return format_number(value)
    except (TypeError, ValueError):
        return value

"""`{{ text|embeds }}`: rich text with its galleries and videos shown in place of their placeholders
(core.embeds: one call per kind of item placed, whatever their number)."""

from django import template

from core import embeds as registry

register = template.Library()


@register.filter(is_safe=True)
def embeds(html):
    return registry.render(html)

"""`{% page_blocks "sidebar" %}`: the blocks apps registered for a place (core.blocks), in order.

The page type is the optional second argument, else the context's `page_type`, else the one registered
for the page's URL name (core.blocks.page_type), else "other"."""

from django import template

from core import blocks

register = template.Library()


@register.simple_tag(takes_context=True)
def page_blocks(context, place, page_type=None):
    request = context.get("request")
    kind = page_type or context.get("page_type") or blocks.page_type_of(request)
    return blocks.render_place(place, kind, request)

"""`{% main_menu %}` and `{% footer_menu %}`: the menus staff edit (navigation.menus), as list items.

base.html keeps them inside `{% remember %}`, so a warm page pays no query for them."""

from django import template

from .. import menus
from ..models import MenuItem

register = template.Library()


@register.inclusion_tag("navigation/_menu.html")
def main_menu():
    return {"items": menus.menu(MenuItem.Menu.MAIN)}


@register.inclusion_tag("navigation/_footer_menu.html")
def footer_menu():
    return {"items": menus.menu(MenuItem.Menu.FOOTER)}

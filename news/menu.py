"""What news offers the menus (core.links): its categories, the home page, and "Các chuyên mục trên
menu", which becomes the categories marked "hiện trên menu" (with their children), as the menu always showed."""

from django.utils.translation import gettext_lazy as _

from core import links

from .models import Category


def menu_categories():
    """[links.Link] of the menu's categories, two levels (two queries). The old "Văn bản" category gives
    way to the documents register (its URL still works)."""
    return [
        links.Link(
            top.name, top.get_absolute_url(), [links.Link(c.name, c.get_absolute_url()) for c in top.children.all()]
        )
        for top in Category.objects.menu()
        if top.slug != "van-ban"
    ]


def register():
    links.register_model(Category, _("Chuyên mục"), label=lambda category: category.name, key="category")
    links.register_page("trang-chu", _("Trang chủ"), "news:home")
    links.register_page("chuyen-muc-menu", _("Các chuyên mục trên menu (tự động)"), expand=menu_categories)

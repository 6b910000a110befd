from django.conf import settings
from django.core.cache import cache

MENU_CACHE_KEY = "portal:menu"


def main_menu():
    """The two-level category menu, cached; news' signals drop it when a category changes."""
    menu = cache.get(MENU_CACHE_KEY)
    if menu is None:
        from news.models import Category

        menu = [
            {
                "name": c.name,
                "url": c.get_absolute_url(),
                "slug": c.slug,
                "children": [{"name": k.name, "url": k.get_absolute_url(), "slug": k.slug} for k in c.children.all()],
            }
            for c in Category.objects.menu()
        ]
        cache.set(MENU_CACHE_KEY, menu, 3600)
    return menu


def footer_contact():
    from pages.footer import footer_contact

    return footer_contact()


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "main_menu": main_menu,  # called lazily by the template, once
        "footer_contact": footer_contact,  # likewise; the address, phone and e-mail under every page
    }

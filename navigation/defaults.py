"""The menus a new site starts with (the items base.html used to hard-code), as (title, kind, target).

Migration 0002 writes a copy of these as rows staff can edit; while a menu has no rows at all (a fresh
test database), the site shows these, so a page never loses its menu. A blank title takes the named
page's own title (translated in the page's language)."""

MAIN = [
    ("", "page", "trang-chu"),
    ("", "page", "gioi-thieu"),
    ("", "page", "chuyen-muc-menu"),
    ("", "page", "van-ban"),
    ("", "page", "thu-tuc-hanh-chinh"),
    ("", "page", "hoi-dap"),
    ("Góp ý", "page", "gop-y"),
    ("", "page", "lien-he"),
]

FOOTER = [
    ("", "page", "gioi-thieu"),
    ("", "page", "van-ban"),
    ("", "page", "thu-tuc-hanh-chinh"),
    ("", "page", "lien-he"),
    ("", "page", "gop-y"),
    ("", "page", "hoi-dap"),
    ("", "page", "quyen-rieng-tu"),
]

BY_MENU = {"main": MAIN, "footer": FOOTER}

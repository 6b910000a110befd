"""What a menu item may point at, offered by the apps that own it (navigation knows no app).

- Named pages: list pages with a fixed address ("Văn bản" → /van-ban/). An app registers them in its
  AppConfig.ready(): `links.register_page("van-ban", _("Văn bản"), "documents:list")`. A named page
  may instead `expand` into several links: news offers "Các chuyên mục trên menu", which becomes the
  categories marked "hiện trên menu", with their children.
- Objects: rows of a model with a `get_absolute_url()` (a category, a department page).
  `links.register_model(Category, _("Chuyên mục"), visible=lambda: Category.objects.all())`: `visible`
  returns what readers may open (an unpublished page is not in it), and a menu item pointing at an
  object not in it is hidden on the site and flagged in the admin.

core keeps only the registrations (filled at start-up, read-only afterwards).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Link:
    """One link as a menu shows it."""

    title: str
    url: str
    children: list = field(default_factory=list)
    external: bool = False


@dataclass(frozen=True)
class NamedPage:
    key: str
    title: str
    url_name: str | None
    expand: Callable | None  # expand() → [Link]: the links that take the item's place

    def url(self):
        if self.url_name is None:
            return ""
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


@dataclass(frozen=True)
class Target:
    model: type
    title: str
    visible: Callable  # visible() → QuerySet of what readers may open
    label: Callable = str  # label(obj) → the name a menu shows when the item has no title of its own


_pages = {}  # key → NamedPage
_targets = {}  # "app_label.model" → Target
_kinds = {}  # short name ("category") → "app_label.model"


def register_page(key, title, url_name=None, expand=None):
    if (url_name is None) == (expand is None):
        raise ValueError("a named page has either a url_name or an expand callable")
    _pages[key] = NamedPage(key, title, url_name, expand)


def named_pages():
    return sorted(_pages.values(), key=lambda page: str(page.title))


def named_page(key):
    return _pages.get(key)


def register_model(model, title, visible=None, label=str, key=None):
    """`key` is a short name other apps' demo data may look the kind up by (`links.kind("category")`)."""
    _targets[model._meta.label_lower] = Target(model, title, visible or model._default_manager.all, label)
    if key:
        _kinds[key] = model._meta.label_lower


def kind(key):
    """The Target registered under the short name `key` (None when no app offers it)."""
    return _targets.get(_kinds.get(key, ""))


def label_of(obj):
    """The name a menu shows for `obj` (its model's registered label)."""
    found = _targets.get(obj._meta.label_lower)
    return found.label(obj) if found else str(obj)


def targets():
    return sorted(_targets.values(), key=lambda target: str(target.title))


def target(label):
    return _targets.get(label)


def visible_objects(label, ids):
    """{id: object} of the objects of model `label` among `ids` that readers may open (one query)."""
    found = _targets.get(label)
    if found is None or not ids:
        return {}
    return {obj.pk: obj for obj in found.visible().filter(pk__in=list(ids))}

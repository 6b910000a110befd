"""Menus as readers see them: published items, in order, two levels, each resolved to a link.

An item whose target is gone (a deleted category, an unpublished page, a named page no app offers any
more) is left out, never an error; the admin list flags it (`broken_ids`). A fixed number of queries:
one for the items, one per kind of object pointed at, and what an expanding named page costs (news'
"Các chuyên mục trên menu": its category query). Templates keep the result as a fragment per content
version (core.blocks / `{% remember %}`), so a warm page pays none of them.
"""

from collections import defaultdict

from django.urls import NoReverseMatch

from core import links

from . import defaults, ordering
from .models import MenuItem


def objects_by_label(items):
    """{label: {id: object}} of the objects the items point at that readers may open."""
    wanted = defaultdict(set)
    for item in items:
        if item.kind == MenuItem.Kind.OBJECT and item.content_type_id and item.object_id:
            wanted[item.target_label].add(item.object_id)
    return {label: links.visible_objects(label, ids) for label, ids in wanted.items()}


def resolve(item, objects):
    """The links an item stands for ([] when its target is gone)."""
    title = item.title
    if item.kind == MenuItem.Kind.OBJECT:
        obj = objects.get(item.target_label, {}).get(item.object_id)
        if obj is None:
            return []
        try:
            url = obj.get_absolute_url()
        except NoReverseMatch:
            return []
        return [links.Link(title or links.label_of(obj), url)]
    if item.kind == MenuItem.Kind.PAGE:
        page = links.named_page(item.named_page)
        if page is None:
            return []
        if page.expand is not None:
            return list(page.expand())
        url = page.url()
        return [links.Link(title or str(page.title), url)] if url else []
    if not item.url:
        return []
    return [links.Link(title, item.url, external=item.kind == MenuItem.Kind.EXTERNAL)]


def default_items(name):
    """Unsaved items of the default menu `name` (navigation.defaults)."""
    return [
        MenuItem(
            menu=name,
            title=title,
            kind=kind,
            named_page=target if kind == MenuItem.Kind.PAGE else "",
            url="" if kind == MenuItem.Kind.PAGE else target,
            position=index,
        )
        for index, (title, kind, target) in enumerate(defaults.BY_MENU.get(name, []))
    ]


def menu(name, queryset=None):
    """[links.Link] of menu `name`, top level with children, as readers see it (published items; a
    menu without any row at all is the default one)."""
    if queryset is None:
        queryset = MenuItem.objects.published()
    items = list(queryset.filter(menu=name).select_related("content_type").order_by("position", "id"))
    if not items and not MenuItem.objects.filter(menu=name).exists():
        items = default_items(name)
    return tree(items)


def preview(name):
    """Menu `name` as it will be: every item (drafts and waiting ones too) with its working copy put in, in
    the order the copies give ("Xem trước menu")."""
    rows = list(MenuItem.objects.select_related("content_type"))
    items = [item for item in ordering.as_they_will_be(rows, ordering.copies_by_id()) if item.menu == name]
    if not rows:
        items = default_items(name)
    return tree(sorted(items, key=lambda item: (item.position, item.pk or 0)))


def tree(items):
    """[links.Link] of ordered items: top level, each with its children."""
    objects = objects_by_label(items)
    children = defaultdict(list)
    for item in items:
        if item.parent_id is not None:
            children[item.parent_id].extend(resolve(item, objects))
    out = []
    for item in items:
        if item.parent_id is not None:
            continue
        resolved = resolve(item, objects)
        if len(resolved) == 1 and children[item.pk]:
            only = resolved[0]
            resolved = [links.Link(only.title, only.url, [*only.children, *children[item.pk]], only.external)]
        out.extend(resolved)
    return out


def is_broken(item, objects):
    """Its target is gone (an expanding named page that is empty for now is not broken)."""
    if item.kind == MenuItem.Kind.PAGE:
        page = links.named_page(item.named_page)
        return page is None or (page.expand is None and not page.url())
    return not resolve(item, objects)


def broken_ids(items):
    """The ids of these items whose target is gone (what the admin list flags)."""
    items = list(items)
    objects = objects_by_label(items)
    return {item.pk for item in items if is_broken(item, objects)}

"""Things placed inside rich text (a photo gallery, a video in an article): a registry kind → renderer
that the apps fill in their AppConfig.ready(), so the app that shows the text never imports them.

How an editor places one: the item's admin page shows its embed code ("Mã nhúng"), e.g.
`[thu-vien-anh:12]`; pasted as a paragraph of its own in the editor, it becomes on save (core.sanitize)
the placeholder `<div data-embed="thu-vien-anh:12">[thu-vien-anh:12]</div>`, the one `div` the
sanitiser keeps. The code stays inside as text: CKEditor, which knows no such `div`, turns it back
into the same paragraph when the text is edited again, and the next save makes it a placeholder again.

Showing the text: `render(html)` replaces every placeholder with what its kind's renderer returns for it,
one call per kind (`render_many(ids)` → {id: html}, one or two queries whatever the number of
placeholders); a placeholder whose item is missing, unpublished or of an unknown kind shows nothing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

_KIND = r"[a-z][a-z0-9-]{0,30}"
_ID = r"[1-9][0-9]{0,17}"
VALUE = re.compile(rf"^({_KIND}):({_ID})$")
_CODE_PARAGRAPH = re.compile(rf"<p>\s*\[({_KIND}):({_ID})\]\s*</p>")
# The sanitiser's output is canonical (nh3 writes the attribute exactly so) and holds no div inside a
# placeholder (core.sanitize keeps the outermost one only).
_PLACEHOLDER = re.compile(rf'<div data-embed="({_KIND}):({_ID})">.*?</div>', re.S)


@dataclass(frozen=True)
class Embed:
    kind: str
    render_many: object  # callable(ids: list[int]) → {id: safe html}
    label: str = ""
    stylesheet: str = ""  # a static path the rendered HTML needs, linked once per text


_registry = {}  # filled once at start-up by the apps' ready(); read-only afterwards


def register(kind, render_many, *, label="", stylesheet=""):
    if not VALUE.match(f"{kind}:1"):
        raise ValueError(f"embed kind {kind!r}: lower-case letters, digits and '-' only")
    _registry[kind] = Embed(kind, render_many, label, stylesheet)


def kinds():
    return set(_registry)


def code(kind, pk):
    """What an editor pastes into the text: `[thu-vien-anh:12]`."""
    return f"[{kind}:{pk}]"


def is_valid(value):
    """A `data-embed` value worth keeping: a registered kind and an id."""
    match = VALUE.match(value or "")
    return bool(match) and match.group(1) in _registry


def codes_to_placeholders(html):
    """Turn every paragraph that holds only an embed code of a registered kind into its placeholder."""
    if "[" not in html:
        return html

    def replace(match):
        kind, pk = match.groups()
        if kind not in _registry:
            return match.group(0)
        return f'<div data-embed="{kind}:{pk}">[{kind}:{pk}]</div>'

    return _CODE_PARAGRAPH.sub(replace, html)


def render(html):
    """The text with its placeholders replaced by the items they name (safe HTML in, safe HTML out)."""
    if not html or "data-embed" not in html:
        return html
    wanted = defaultdict(set)
    for match in _PLACEHOLDER.finditer(html):
        if match.group(1) in _registry:
            wanted[match.group(1)].add(int(match.group(2)))
    rendered = {kind: _registry[kind].render_many(sorted(ids)) for kind, ids in wanted.items()}
    shown = set()

    def replace(match):
        kind, pk = match.group(1), int(match.group(2))
        out = rendered.get(kind, {}).get(pk)
        if out:
            shown.add(kind)
        return str(out or "")

    body = _PLACEHOLDER.sub(replace, html)
    sheets = sorted({_registry[kind].stylesheet for kind in shown if _registry[kind].stylesheet})
    links = format_html_join("", '<link rel="stylesheet" href="{}">', ((static(s),) for s in sheets))
    return mark_safe(links + body)  # noqa: S308 - sanitised text and escaped renderer output


def strip(html):
    """The text without its placeholders (for its plain-text version: search, summaries)."""
    return _PLACEHOLDER.sub("", html) if html and "data-embed" in html else html


def placeholder(kind, pk):
    """The stored form of an embed (what the sanitiser makes of its code)."""
    return format_html('<div data-embed="{}:{}">{}</div>', kind, pk, code(kind, pk))

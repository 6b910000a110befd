"""Allow-list sanitising of editor HTML (nh3, the Rust `ammonia` library).

Only what the CKEditor 5 toolbar produces survives: headings, paragraphs,
emphasis, lists, links, images in figure/figcaption, tables and blockquotes.
Scripts, event handlers, style attributes and `javascript:` URLs are removed. One `div` is kept: the
placeholder of a gallery or video placed in the text (core.embeds), with its `data-embed` value only.
"""

import html
import re

import nh3

from . import embeds

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "figcaption",
    "img",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "hr",
    "span",
    "div",  # only as an embed's placeholder: any other div is unwrapped (_placeholders_only)
}
ALLOWED_ATTRIBUTES = {
    "*": set(),  # no attribute on every tag (nh3 would otherwise allow `lang` and `title` anywhere)
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "figure": {"class"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "div": {"data-embed"},
}
# Only the image classes CKEditor's image styles emit.
_FIGURE_CLASSES = {
    "image",
    "table",
    "image-style-side",
    "image_resized",
    "image-style-align-left",
    "image-style-align-right",
    "image-style-block-align-left",
    "image-style-block-align-right",
}


_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)


def _safe_image_url(url):
    scheme = _SCHEME.match(re.sub(r"[\s\x00-\x1f]", "", url))
    return scheme is None or scheme.group(1).lower() in ("http", "https")


def _attribute_filter(tag, attribute, value):
    if tag == "figure" and attribute == "class":
        kept = [c for c in value.split() if c in _FIGURE_CLASSES]
        return " ".join(kept) or None
    if tag == "img" and attribute == "srcset":
        # nh3 checks the schemes of href and src, not of the URLs listed in srcset.
        kept = [c.strip() for c in value.split(",") if c.strip() and _safe_image_url(c)]
        return ", ".join(kept) or None
    if tag == "div" and attribute == "data-embed":
        return value if embeds.is_valid(value) else None
    return value


_DIV = re.compile(r'<div( data-embed="[^"]*")?>|</div>')


def _placeholders_only(value):
    """Unwrap every div but an embed's placeholder, and any div inside one (nh3's output is balanced)."""
    if "<div" not in value:
        return value
    out, kept, position = [], [], 0
    for match in _DIV.finditer(value):
        out.append(value[position : match.start()])
        position = match.end()
        if match.group(0) == "</div>":
            if kept and kept.pop():
                out.append("</div>")
        else:
            keep = bool(match.group(1)) and not any(kept)
            kept.append(keep)
            if keep:
                out.append(match.group(0))
    out.append(value[position:])
    return "".join(out)


def _clean(value):
    return _placeholders_only(_clean_tags(value))


def _clean_tags(value):
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def sanitize_html(value: str) -> str:
    if not value:
        return ""
    # A byte-order mark is junk inside text, and the HTML parser drops it only at the very start.
    clean = _clean(value.replace("\ufeff", ""))
    # What the parser allowed inside a tag that was then dropped (a link inside <object> inside a
    # link) can parse differently the next time: clean again until the output is stable, so what
    # is stored is what every later reading of it gives.
    for _ in range(3):
        again = _clean(clean)
        if again == clean:
            break
        clean = again
    return embeds.codes_to_placeholders(clean)


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|figcaption|blockquote|td|th|tr|div)>|<br\s*/?>", re.I)


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, for search vectors, summaries and meta descriptions."""
    text = _BLOCK_END.sub(lambda m: m.group(0) + "\n", embeds.strip(value or ""))
    text = nh3.clean(text, tags=set())
    text = html.unescape(text)
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()

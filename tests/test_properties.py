"""Property tests (Hypothesis) for the slug maker, the HTML sanitiser and the feedback text cleaners."""

import re
import string
import unicodedata
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_html
from core.slugs import unique_slug, vn_slugify
from core.text import clean_text, text_length
from feedback.forms import PlainTextField
from news.models import Category

SLUG = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*)?$")
VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
    + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)
ODD = [
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\t",
    "\n",
    "\u00a0",
    "\u3000",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\U000e0001",
    "\u0301",
    "\u0302",
    "\u0323",
    "e\u0302\u0301",
    "Ð",
    "ð",
    "ß",
    "ﬁ",
    "Ⅻ",
    "İ",
    "_",
    "-",
    "--",
    " - ",
    "'",
    "…",
    "“",
    "”",
    "🙂",
    "👍🏽",
]
titles = st.text(alphabet=st.sampled_from(VIETNAMESE + string.printable), max_size=120) | st.text(max_size=80)
messy = st.lists(st.text(max_size=12) | st.sampled_from(ODD) | st.text(alphabet=VIETNAMESE, max_size=12), max_size=25)
messy = messy.map("".join)


# Slugs ------------------------------------------------------------------------------------------


@given(titles | messy)
@example("Đồng chí Đinh Văn Đức")
@example("Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023")
@example("snake_case__title_")
@example("-- đ --")
def test_slug_is_ascii_dashed_and_idempotent(text):
    """Slugs are [a-z0-9] words joined by single dashes, and slugifying a slug changes nothing."""
    slug = vn_slugify(text)
    assert SLUG.match(slug), slug
    assert vn_slugify(slug) == slug


@given(st.text(alphabet="đĐ", min_size=1, max_size=20), titles)
def test_slug_keeps_d_stroke(ds, rest):
    """đ and Đ become d (Django's slugify alone would drop them)."""
    assert vn_slugify(ds) == "d" * len(ds)
    assert vn_slugify(f"{ds} {rest}").startswith("d" * len(ds))


@given(titles | messy, st.integers(min_value=1, max_value=60))
def test_slug_respects_max_length(text, max_length):
    slug = vn_slugify(text, max_length=max_length)
    assert len(slug) <= max_length and SLUG.match(slug)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(["Tin tức", "Tin  tuc", "TIN-TỨC", "tin_tuc", "Tin tức 2", "", "!!!", "Đ" * 150]),
        min_size=1,
        max_size=8,
    )
)
def test_unique_slug_never_repeats(names):
    """Saving categories with clashing names gives each a distinct, valid slug within the column's length."""
    with transaction.atomic():
        slugs = []
        for name in names:
            slug = unique_slug(Category, name, max_length=160)
            Category.objects.create(name=name or "x", slug=slug)
            slugs.append(slug)
        assert len(set(slugs)) == len(slugs)
        assert all(SLUG.match(s) and s and len(s) <= 160 for s in slugs)
        transaction.set_rollback(True)


# HTML sanitiser ---------------------------------------------------------------------------------

DANGEROUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">',
    '<a href="java\nscript:alert(1)">',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">',
    '<a href="vbscript:msgbox">',
    '<p style="background:url(javascript:alert(1))">',
    "<svg onload=alert(1)>",
    "<iframe src=//evil>",
    "<object data=x>",
    "<embed src=x>",
    '<form action="//evil"><input name=x></form>',
    "<style>*{x:y}</style>",
    "<!-- <script> -->",
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<div onclick="x">',
    '<math><mi xlink:href="javascript:1">',
    "<base href=//evil/>",
    '<meta http-equiv="refresh" content="0;url=//evil">',
    "<template><script>1</script>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<![CDATA[<script>]]>",
    "<table><td onmouseover=x>",
    '<figure class="image evil"><img src="/media/a.jpg" alt="a"></figure>',
    "<p>",
    "</p>",
    "<",
    ">",
    "&",
    "&lt;",
    '"',
    "<a href=https://example.org title='t'>",
    "<ul><li>",
    "<h2>",
    "<strong>",
    "<br>",
    "</a>",
]
# Lone surrogates cannot arrive over HTTP (Django decodes invalid UTF-8 as U+FFFD) nor be stored by PostgreSQL.
ODD_UNICODE = [c for c in ODD if not any(0xD800 <= ord(x) <= 0xDFFF for x in c)]
hostile_html = st.lists(st.sampled_from(DANGEROUS) | st.text(max_size=10) | st.sampled_from(ODD_UNICODE), max_size=30)
hostile_html = hostile_html.map("".join)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def parsed(html):
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_safe(html):
    assert "<script" not in html.lower()
    for tag, attrs in parsed(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on") and name != "style", (tag, name)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            compact = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            assert not compact.startswith(BAD_SCHEMES), (tag, name, value)
            if name == "srcset":
                assert not any(s in compact for s in BAD_SCHEMES)


@settings(max_examples=300)
@given(hostile_html)
@example('<img src="/a.jpg" srcset="java\tscript:alert(1) 1x, /a-2x.jpg 2x, DATA:image/png;base64,AAAA 3x">')
@example('<img src="/a.jpg" srcset=" jav&#x09;ascript:alert(1) 1x">')
@example('<a href="jav&#x09;ascript:alert(1)"><object data=x><a href="javascript:alert(1)">x</a>')
def test_sanitised_html_is_safe_and_stable(html):
    """Whatever goes in, the output has no script, handler, style or dangerous URL; cleaning twice changes nothing."""
    clean = sanitize_html(html)
    assert_safe(clean)
    assert sanitize_html(clean) == clean


words = st.text(alphabet=VIETNAMESE + " ,.0123456789", min_size=1, max_size=30).map(str.strip).filter(bool)


@st.composite
def editor_html(draw):
    """Markup the CKEditor toolbar produces (and the allow-list keeps)."""
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["p", "h2", "h3", "h4", "ul", "blockquote", "a", "figure", "table"]))
        text = draw(words)
        if kind == "ul":
            blocks.append(
                "<ul>" + "".join(f"<li>{draw(words)}</li>" for _ in range(draw(st.integers(1, 3)))) + "</ul>"
            )
        elif kind == "blockquote":
            blocks.append(f"<blockquote><p>{text}</p></blockquote>")
        elif kind == "a":
            href = draw(st.sampled_from(["https://skhcn.example.gov.vn/", "/bai-viet/tin/", "mailto:so@example.vn"]))
            blocks.append(
                f'<p><a href="{href}" rel="noopener noreferrer">{text}</a> <strong>{draw(words)}</strong></p>'
            )
        elif kind == "figure":
            blocks.append(
                f'<figure class="image"><img src="/media/editor/a.jpg" alt="{text}">'
                f"<figcaption>{draw(words)}</figcaption></figure>"
            )
        elif kind == "table":
            blocks.append(f"<table><tbody><tr><td>{text}</td><td><em>{draw(words)}</em></td></tr></tbody></table>")
        else:
            blocks.append(f"<{kind}>{text}</{kind}>")
    return "".join(blocks)


@given(editor_html())
@example(
    '<figure class="image"><img src="/media/a.jpg" alt="Hội nghị" srcset="/media/a-800.jpg 800w, https://skhcn.example.gov.vn/a.jpg 1200w"></figure>'
)
def test_allowed_markup_survives(html):
    """What the editor legitimately produces comes out exactly as it went in."""
    assert sanitize_html(html) == html


# Feedback text cleaners -------------------------------------------------------------------------

reader_text = st.lists(st.text(max_size=15) | st.sampled_from(ODD) | words, max_size=30).map("".join)


@given(reader_text, st.booleans())
@example("e\u0302\u0301\x00\u202e", True)
@example("a\r\n\r\nb\x85c\u2028d", True)
@example("\u0301", False)
def test_clean_text_properties(text, multiline):
    """Idempotent, NFC, no control characters (newline and tab only in multi-line text), no bidi overrides."""
    clean = clean_text(text, multiline=multiline)
    assert clean_text(clean, multiline=multiline) == clean
    assert unicodedata.is_normalized("NFC", clean)
    allowed_controls = "\n\t" if multiline else ""
    assert all(c in allowed_controls or unicodedata.category(c) not in ("Cc", "Cs") for c in clean)
    assert not any(c in clean for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert clean == clean.strip()
    assert text_length(clean) == len(clean)


vietnamese_lines = st.lists(words, min_size=1, max_size=6)


@given(vietnamese_lines)
def test_valid_text_is_kept_as_typed(lines):
    """Ordinary Vietnamese text (NFC, no control characters) passes through unchanged, lines and all."""
    text = "\n".join(" ".join(line.split()) for line in lines).strip()
    assert clean_text(text, multiline=True) == text
    single = " ".join(text.split())
    assert clean_text(single, multiline=False) == single


@given(reader_text)
def test_fields_never_reject_valid_lengths(text):
    """A field refuses only what is too short or too long after cleaning, never anything else."""
    field = PlainTextField(min_chars=10, max_chars=200, multiline=True, required=False)
    length = text_length(clean_text(text))
    try:
        value = field.clean(text)
    except ValidationError as error:
        assert length and not 10 <= length <= 200, error
    else:
        assert value == clean_text(text)
        assert not length or 10 <= length <= 200

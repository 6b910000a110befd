"""core.blocks: apps put blocks on pages they do not own; kept as fragments per content version."""

import pytest
from django.template import Context, Template

from core import blocks
from core.models import ContentVersion
from core.pagecache import forget_content_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def probe():
    calls = []

    def context(where):
        calls.append(where)
        return {"n": len(calls)} if where.page_type != "hidden" else None

    blocks.register("probe", "Thử", places=("probe-place",), template="navigation/_probe.html", context=context)
    yield calls
    blocks.unregister("probe")


@pytest.fixture(autouse=True)
def probe_template(settings, tmp_path):
    (tmp_path / "navigation").mkdir()
    (tmp_path / "navigation" / "_probe.html").write_text("<p>khối {{ n }} {{ where.page_type }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def render(place, page_type):
    return Template("{% load page_blocks %}{% page_blocks place page_type %}").render(
        Context({"place": place, "page_type": page_type})
    )


def test_a_block_renders_once_per_content_version(probe):
    assert render("probe-place", "home") == "<p>khối 1 home</p>"
    assert render("probe-place", "home") == "<p>khối 1 home</p>"  # remembered
    ContentVersion.bump()
    forget_content_version()
    assert render("probe-place", "home") == "<p>khối 2 home</p>"


def test_nothing_to_show_means_no_block(probe):
    assert render("probe-place", "hidden") == ""
    assert render("elsewhere", "home") == ""


def test_page_types_limit_where_a_block_shows():
    blocks.register(
        "only-home", "Chỉ trang chủ", places="probe-place", pages=("home",), render=lambda w: "<i>x</i>", cache=False
    )
    try:
        assert render("probe-place", "home") == "<i>x</i>"
        assert render("probe-place", "article") == ""
    finally:
        blocks.unregister("only-home")


def test_sidebar_order_keeps_most_read_before_the_visitor_box(client, article):
    """On the home page the two live blocks keep their places (markers filled in by stats)."""
    names = [block.name for block in blocks.blocks_for("sidebar", "home")]
    assert names.index("most-read") < names.index("stats-box")
    assert "most-read" not in [block.name for block in blocks.blocks_for("sidebar", "article")]
    html = client.get("/").text
    assert "Thống kê truy cập" in html and "<!--stats:" not in html


def test_new_documents_block_in_the_sidebar(client, article):
    from datetime import date

    from documents.models import Document, DocumentType, IssuingBody

    Document.objects.create(
        doc_type=DocumentType.objects.first(),
        issuer=IssuingBody.objects.first() or IssuingBody.objects.create(name="UBND tỉnh"),
        number="12/2023/QĐ-UBND",
        issued_on=date(2023, 1, 10),
        summary="Quy định quản lý nhiệm vụ khoa học và công nghệ",
        is_published=True,
    )
    html = client.get(article.get_absolute_url()).text
    assert "Văn bản mới" in html and "12/2023/QĐ-UBND" in html
    assert "Văn bản mới" not in client.get("/van-ban/").text.split('class="sidebar"')[1]

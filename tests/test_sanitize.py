"""Editor HTML is sanitised on save with an allow-list, whatever the editor sends."""

import pytest

from core.sanitize import sanitize_html

HOSTILE = [
    ("<p>a<script>alert(1)</script></p>", "<script"),
    ('<img src="/x.jpg" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
    ('<p style="position:fixed;top:0">x</p>', "style"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe"),
    ("<svg><script>alert(1)</script></svg>", "<svg"),
    ('<form action="/x"><input name="p"></form>', "<form"),
    ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">x</a></p>', "data:"),
    ("<style>body{display:none}</style>", "<style"),
    ('<object data="x.swf"></object>', "<object"),
]


@pytest.mark.parametrize(("html", "forbidden"), HOSTILE)
def test_dangerous_markup_removed(html, forbidden):
    """Scripts, handlers, javascript:/data: URLs, styles and embeds never survive."""
    assert forbidden.lower() not in sanitize_html(html).lower()


def test_editor_markup_kept():
    """What the CKEditor toolbar produces stays as it is."""
    html = (
        '<h2>Tiêu đề</h2><p><strong>Đậm</strong> <em>nghiêng</em> <a href="https://example.gov.vn">liên kết</a></p>'
        "<ul><li>một</li></ul><ol><li>hai</li></ol><blockquote><p>trích</p></blockquote>"
        '<figure class="image"><img src="/media/a.jpg" alt="Ảnh"><figcaption>Chú thích</figcaption></figure>'
        '<figure class="table"><table><tbody><tr><td>ô</td></tr></tbody></table></figure>'
    )
    clean = sanitize_html(html)
    for fragment in (
        "<h2>Tiêu đề</h2>",
        "<strong>Đậm</strong>",
        "<em>nghiêng</em>",
        'href="https://example.gov.vn"',
        "<li>một</li>",
        "<blockquote>",
        'alt="Ảnh"',
        "<figcaption>Chú thích</figcaption>",
        "<td>ô</td>",
    ):
        assert fragment in clean


def test_body_sanitised_on_save(make_article):
    """Saving an article stores the cleaned body and its plain text."""
    article = make_article(body='<p onclick="x()">Xin chào <script>alert(1)</script>Đồng chí</p>')
    article.refresh_from_db()
    assert article.body == "<p>Xin chào Đồng chí</p>"
    assert article.body_text == "Xin chào Đồng chí"


def test_page_renders_sanitised_body(client, make_article):
    """The public page never carries the hostile markup an editor pasted."""
    article = make_article(body='<p>Nội dung</p><img src=x onerror="alert(document.cookie)">')
    html = client.get(article.get_absolute_url()).content.decode()
    assert "onerror" not in html
    assert "Nội dung" in html

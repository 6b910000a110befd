"""Sharing an article and keeping its page light: plain share links carrying the article's canonical URL,
no third-party script anywhere on the page, body images loaded lazily."""

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def shared(make_article):
    return make_article(
        "Đồng chí Giám đốc Sở dự hội nghị & tọa đàm",
        body='<p>Đoạn một.</p><figure class="image"><img src="/media/a.jpg" alt="Hội nghị"></figure>'
        '<p><img src="/media/b.jpg" alt="Tọa đàm" width="800" height="450"></p>',
    )


def share_box(html):
    return re.search(r'<div class="share no-print".*?</div>', html, re.S).group(0)


def test_share_links_carry_the_encoded_canonical_url(client, shared):
    """Facebook's sharer gets the article's absolute URL, percent-encoded; the copy link is that URL."""
    url = f"{SITE}{shared.get_absolute_url()}"
    html = client.get(shared.get_absolute_url()).content.decode()
    box = share_box(html)
    facebook = re.search(r'<a class="share-button share-facebook" href="([^"]+)" target="_blank" rel="([^"]+)"', box)
    assert facebook.group(1) == "https://www.facebook.com/sharer/sharer.php?u=" + quote(url, safe="")
    assert parse_qs(urlsplit(facebook.group(1).replace("&amp;", "&")).query)["u"] == [url]
    assert "noopener" in facebook.group(2).split()
    assert f'<a class="share-button share-copy" href="{url}" data-copy>Sao chép liên kết</a>' in box
    assert f'data-url="{url}"' in box and 'value="' + url + '" readonly' in box
    assert f'<link rel="canonical" href="{url}">' in html  # the same URL the search engines get
    # "Chia sẻ" (Web Share) and print appear only when share.js / site.js can make them work.
    assert re.search(
        r'<button type="button" class="share-button share-native" data-share hidden>.*Chia sẻ</button>', box
    )
    assert '<button type="button" class="print-button" data-print hidden>In bài viết</button>' in box
    assert 'role="status" data-copy-status' in box
    assert "Đã sao chép liên kết bài viết." in box  # the confirmation share.js shows, in Vietnamese


def test_the_share_box_is_the_same_for_every_reader_and_cached(client, shared, django_user_model):
    """Nothing per reader in the box: the page cache may serve it to everyone."""
    first = share_box(client.get(shared.get_absolute_url()).content.decode())
    again = share_box(client.get(shared.get_absolute_url()).content.decode())
    assert first == again


def test_no_third_party_script_or_tracker_on_the_article_page(client, shared):
    """Every script is ours (static/js), none inline; no SDK of Facebook or Zalo, no iframe or pixel."""
    html = client.get(shared.get_absolute_url()).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "the page has its own scripts"
    for attributes in scripts:
        if 'type="application/ld+json"' in attributes:
            continue  # structured data, not code
        src = re.search(r'src="([^"]+)"', attributes)
        assert src and src.group(1).startswith("/static/js/"), attributes
    assert '<script src="/static/js/share.js" defer></script>' in html
    for host in ("connect.facebook.net", "sp.zalo.me", "zalo.me/sdk", "googletagmanager", "google-analytics"):
        assert host not in html
    assert "<iframe" not in html
    # The only third-party address is the sharer link itself (a link, fetched only when clicked).
    external = {urlsplit(u).netloc for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)}
    assert external <= {"127.0.0.1:8000", "www.facebook.com"}


def test_body_images_load_lazily(client, shared):
    html = client.get(shared.get_absolute_url()).content.decode()
    body = re.search(r'<div class="article-body">(.*?)</div>', html, re.S).group(1)
    images = re.findall(r"<img\b[^>]*>", body)
    assert len(images) == 2
    assert all('loading="lazy"' in image for image in images)
    assert '<img loading="lazy" decoding="async" src="/media/b.jpg" alt="Tọa đàm" width="800" height="450">' in body
    shared.refresh_from_db()
    assert "loading" not in shared.body  # stored as sanitised; marked only when shown


def test_article_page_query_count_is_unchanged_by_sharing(client, shared, django_assert_max_num_queries):
    client.get(shared.get_absolute_url())
    with django_assert_max_num_queries(12):
        assert client.get(shared.get_absolute_url()).status_code == 200

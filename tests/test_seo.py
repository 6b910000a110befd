"""For search engines and sharing: sitemap.xml (and its index), robots.txt, and each article's
<head>: title, description, canonical, Open Graph, Twitter card and JSON-LD NewsArticle."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sitemaps import Sitemap
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core import sitemaps

SITE = "https://sokhcn.example.gov.vn"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (1600, 900), (176, 32, 40)).save(out, format="JPEG")
    return SimpleUploadedFile("hoi-nghi.jpg", out.getvalue(), content_type="image/jpeg")


def xml(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


def urlset(client, url="/sitemap.xml"):
    root = xml(client.get(url))
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS) for u in root.findall("s:url", NS)
    }


def test_sitemap_lists_published_articles_with_lastmod_and_categories(client, make_article, category):
    """Articles (absolute URL, lastmod = last change) and categories are in /sitemap.xml."""
    article = make_article("Bài đã đăng")
    urls = urlset(client)
    loc = f"{SITE}{article.get_absolute_url()}"
    assert loc in urls
    lastmod = datetime.fromisoformat(urls[loc])
    assert lastmod == max(article.updated_at, article.publish_at).replace(microsecond=0)
    assert urls[loc].endswith("Z")
    assert f"{SITE}{category.get_absolute_url()}" in urls
    assert urls[f"{SITE}{category.get_absolute_url()}"]  # the category's newest article date


@pytest.mark.parametrize("state", ["draft", "pending", "archived", "future"])
def test_sitemap_leaves_out_unpublished_articles(client, make_article, state):
    """Drafts, pending, archived and scheduled articles are not announced to search engines."""
    fields = {"publish_at": timezone.now() + timedelta(days=1)} if state == "future" else {"status": state}
    hidden = make_article("Bài ẩn", **fields)
    shown = make_article("Bài công khai")
    urls = urlset(client)
    assert f"{SITE}{shown.get_absolute_url()}" in urls
    assert f"{SITE}{hidden.get_absolute_url()}" not in urls


def test_sitemap_becomes_an_index_past_the_limit(client, make_article, monkeypatch):
    """Over the per-file limit, /sitemap.xml is a <sitemapindex> whose pages hold every URL once."""
    monkeypatch.setattr(sitemaps, "MAX_URLS_PER_FILE", 3)
    now = timezone.now()
    articles = [make_article(f"Tin {n}", publish_at=now - timedelta(hours=n)) for n in range(1, 8)]
    root = xml(client.get("/sitemap.xml"))
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locations = [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)]
    assert locations == [
        f"{SITE}/sitemap-bai-viet.xml",
        f"{SITE}/sitemap-bai-viet.xml?p=2",
        f"{SITE}/sitemap-bai-viet.xml?p=3",
        f"{SITE}/sitemap-chuyen-muc.xml",
    ]
    assert all(s.findtext("s:lastmod", namespaces=NS) for s in root.findall("s:sitemap", NS))
    listed = []
    for location in locations[:3]:
        listed += urlset(client, location.removeprefix(SITE))
    assert sorted(listed) == sorted(f"{SITE}{a.get_absolute_url()}" for a in articles)
    assert client.get("/sitemap-bai-viet.xml?p=9").status_code == 404
    assert client.get("/sitemap-khong-co.xml").status_code == 404


def test_sitemap_index_is_always_available(client, article):
    root = xml(client.get("/sitemap-index.xml"))
    assert [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)] == [
        f"{SITE}/sitemap-bai-viet.xml",
        f"{SITE}/sitemap-chuyen-muc.xml",
    ]


def test_sitemap_query_count(client, make_article, django_assert_max_num_queries):
    for n in range(20):
        make_article(f"Tin {n}")
    with django_assert_max_num_queries(5):
        client.get("/sitemap.xml")


def test_sitemap_base_is_site_url_not_request_host(client, article):
    """Whatever Host the request came with, locations are on SITE_URL."""
    urls = urlset(client)
    assert all(loc.startswith(f"{SITE}/") for loc in urls)
    assert Sitemap.limit == 50_000 and sitemaps.MAX_URLS_PER_FILE == 50_000


def test_robots_txt(client, db):
    """robots.txt names the sitemap and keeps crawlers out of admin, search and previews."""
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {SITE}/sitemap.xml" in text
    for path in ("/admin/", "/tim-kiem/", "/*?*preview="):
        assert f"Disallow: {path}\n" in text
    assert "Disallow: /\n" not in text


@pytest.fixture
def covered(make_article):
    return make_article(
        "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023",
        summary="Chiều 10/01/2023, Sở KH&CN tổ chức Hội nghị công tác năm 2022.",
        body="<p>Đồng chí Nguyễn Trung Thảo dự và chỉ đạo Hội nghị.</p>",
        author="Dương Liễu",
        cover=jpeg(),
        cover_alt="Toàn cảnh Hội nghị",
        publish_at=datetime(2023, 1, 10, 14, 0, tzinfo=VN),
    )


def head(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    return html[: html.index("</head>")]


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return unescape(match.group(1)) if match else None


def jsonld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_article_head_title_description_canonical(client, covered):
    """<title>, meta description from the summary and an absolute canonical URL."""
    html = head(client, covered)
    url = f"{SITE}{covered.get_absolute_url()}"
    assert f"<title>{covered.title} | " in html
    assert meta(html, "name", "description") == covered.summary
    assert f'<link rel="canonical" href="{url}">' in html
    assert 'name="robots"' not in html


def test_article_open_graph_and_twitter_card(client, covered):
    """Sharing tags: the 1200 px cover as an absolute URL, the title, the summary."""
    html = head(client, covered)
    image = f"{SITE}{covered.cover_1200.url}"
    url = f"{SITE}{covered.get_absolute_url()}"
    expected = {
        ("property", "og:type"): "article",
        ("property", "og:url"): url,
        ("property", "og:title"): covered.title,
        ("property", "og:description"): covered.summary,
        ("property", "og:image"): image,
        ("property", "og:image:alt"): "Toàn cảnh Hội nghị",
        ("property", "og:locale"): "vi_VN",
        ("property", "article:published_time"): "2023-01-10T14:00:00+07:00",
        ("name", "twitter:card"): "summary_large_image",
        ("name", "twitter:title"): covered.title,
        ("name", "twitter:description"): covered.summary,
        ("name", "twitter:image"): image,
    }
    assert {key: meta(html, *key) for key in expected} == expected


def test_article_without_cover_uses_a_summary_card(client, make_article):
    html = head(client, make_article("Không ảnh", summary="Tóm tắt."))
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "property", "og:image") is None


def test_jsonld_news_article(client, covered):
    """JSON-LD NewsArticle with headline, dates, author, image and publisher."""
    data = jsonld(head(client, covered))
    covered.refresh_from_db()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == covered.title
    assert data["mainEntityOfPage"]["@id"] == f"{SITE}{covered.get_absolute_url()}"
    assert datetime.fromisoformat(data["datePublished"]) == covered.publish_at
    assert data["datePublished"].endswith("+07:00")
    assert datetime.fromisoformat(data["dateModified"]) == covered.updated_at
    assert data["author"] == [{"@type": "Person", "name": "Dương Liễu"}]
    assert data["image"] == [f"{SITE}{covered.cover_1200.url}"]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"]
    assert data["publisher"]["logo"]["url"].startswith(f"{SITE}/static/")
    assert data["articleSection"] == covered.category.name


def test_jsonld_without_author_names_the_organisation(client, make_article):
    data = jsonld(head(client, make_article("Không tác giả")))
    assert data["author"][0]["@type"] == "Organization"
    assert data["image"]  # the site logo stands in for a missing cover


def test_jsonld_cannot_break_out_of_its_script(client, make_article):
    """A title full of markup stays inside the JSON: no early </script>, and it parses back intact."""
    title = '</script><script>alert("x")</script> & <!-- Tin'
    html = head(client, make_article(title, summary="<b>đậm</b> & 'nháy'"))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["headline"] == title
    assert data["description"] == "<b>đậm</b> & 'nháy'"
    assert '<script>alert("x")' not in html


def test_headline_is_cut_to_110_characters(client, make_article):
    data = jsonld(head(client, make_article("Dài " * 60)))
    assert len(data["headline"]) <= 110


def test_preview_is_not_indexed(client, editor, make_article):
    """Staff previewing a draft get noindex, so a leaked preview never reaches a search engine."""
    draft = make_article("Bản nháp", status="draft")
    client.force_login(editor)
    html = head(client, draft)
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_search_page_is_not_indexed(client, db):
    html = client.get("/tim-kiem/?q=khoa").content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html


def test_article_prints_cleanly(client, covered):
    """The print stylesheet is linked for print media; the page carries its URL and date for paper."""
    html = client.get(covered.get_absolute_url()).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*print[^"]*\.css" media="print">', html)
    assert f'<p class="print-only print-url">{SITE}{covered.get_absolute_url()}</p>' in html
    assert "10/01/2023" in html
    assert "data-print" in html
    css = client.get("/static/css/print.css")
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()
    for selector in (".site-header", ".main-nav", ".sidebar", ".site-footer", "form"):
        assert selector in text


def test_category_page_has_no_article_metadata(client, category):
    """Categories get their feed link, not NewsArticle data."""
    html = client.get(category.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html
    assert 'type="application/rss+xml"' in html

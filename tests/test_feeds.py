"""RSS 2.0 feeds at /rss/ and /chuyen-muc/<slug>/rss/: valid XML, absolute links, covers as enclosures."""

import io
import xml.etree.ElementTree as ET
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import Category

SITE = "https://sokhcn.example.gov.vn"


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path


def jpeg(name="anh.jpg", size=(1600, 900)):
    out = io.BytesIO()
    Image.new("RGB", size, (11, 77, 140)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def test_site_feed_channel_and_items(client, make_article, category):
    """The channel and each item carry what RSS 2.0 requires, with absolute links on SITE_URL."""
    article = make_article(
        "Sở KH&CN triển khai nhiệm vụ <năm> 2023", summary="Tóm tắt & <mô tả>.", author="Dương Liễu"
    )
    channel = feed(client, reverse("news:rss"))
    assert "Tin mới" in channel.findtext("title")
    assert channel.findtext("link") == f"{SITE}/"
    assert channel.findtext("description")
    assert channel.findtext("language") == "vi"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("href") == f"{SITE}/rss/" and self_link.get("rel") == "self"
    (item,) = channel.findall("item")
    url = f"{SITE}{article.get_absolute_url()}"
    assert item.findtext("title") == article.title
    assert item.findtext("link") == url
    guid = item.find("guid")
    assert guid.text == url and guid.get("isPermaLink") == "true"
    assert item.findtext("description") == "Tóm tắt & <mô tả>."
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.publish_at.replace(microsecond=0)
    assert item.findtext("category") == category.name
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Dương Liễu"
    assert item.find("enclosure") is None  # no cover, no enclosure


def test_description_falls_back_to_body_text(client, make_article):
    """Without a summary, the description is the start of the body as plain text."""
    make_article("Không có sapo", summary="", body="<p>Nội dung <strong>chính</strong> của bài.</p>")
    (item,) = feed(client, reverse("news:rss")).findall("item")
    assert item.findtext("description") == "Nội dung chính của bài."


def test_cover_is_an_enclosure_with_length_and_type(client, make_article):
    """The 1200 px cover rendition is the enclosure: absolute URL, size in bytes, image/jpeg."""
    article = make_article("Bài có ảnh", cover=jpeg(), cover_alt="Ảnh hội nghị")
    (item,) = feed(client, reverse("news:rss")).findall("item")
    enclosure = item.find("enclosure")
    rendition = article.cover_1200
    assert enclosure.get("url") == f"{SITE}{rendition.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == rendition.storage.size(rendition.name) > 0


def test_latest_fifty_newest_first(client, make_article):
    """The site feed has the 50 newest published articles, newest first."""
    now = timezone.now()
    articles = [make_article(f"Tin số {n}", publish_at=now - timedelta(hours=n)) for n in range(1, 56)]
    items = feed(client, reverse("news:rss")).findall("item")
    assert [item.findtext("title") for item in items] == [a.title for a in articles[:50]]


@pytest.mark.parametrize("state", ["draft", "pending", "archived", "future"])
def test_unpublished_articles_are_not_in_feeds(client, make_article, category, state):
    """Drafts, pending, archived and scheduled articles are in neither the site nor the category feed."""
    fields = {"publish_at": timezone.now() + timedelta(days=1)} if state == "future" else {"status": state}
    make_article("Bài ẩn", **fields)
    make_article("Bài công khai")
    for url in (reverse("news:rss"), reverse("news:category_rss", args=[category.slug])):
        titles = [item.findtext("title") for item in feed(client, url).findall("item")]
        assert titles == ["Bài công khai"]


def test_category_feed_includes_children_only(client, make_article, category):
    """A parent's feed lists its children's articles; other categories stay out."""
    parent = Category.objects.create(name="Khoa học - Công nghệ", slug="khoa-hoc-cong-nghe")
    child = Category.objects.create(name="Đổi mới sáng tạo", slug="doi-moi-sang-tao", parent=parent)
    make_article("Ở mục con", category=child)
    make_article("Ở mục cha", category=parent)
    make_article("Ở mục khác", category=category)
    channel = feed(client, reverse("news:category_rss", args=[parent.slug]))
    assert channel.findtext("title").startswith("Khoa học - Công nghệ")
    assert channel.findtext("link") == f"{SITE}/chuyen-muc/khoa-hoc-cong-nghe/"
    assert {item.findtext("title") for item in channel.findall("item")} == {"Ở mục con", "Ở mục cha"}


def test_unknown_category_feed_is_404(client, db):
    assert client.get("/chuyen-muc/khong-co/rss/").status_code == 404


def test_feed_query_count(client, make_article, django_assert_max_num_queries):
    """A feed is one query for the items, however many there are."""
    for n in range(10):
        make_article(f"Tin {n}", cover=jpeg(f"a{n}.jpg", (200, 100)), cover_alt="ảnh")
    client.get(reverse("news:rss"))  # enclosure sizes are cached after the first read
    with django_assert_max_num_queries(2):
        client.get(reverse("news:rss"))


def test_autodiscovery_links(client, article):
    """Category and article pages point feed readers at the category feed."""
    link = f'<link rel="alternate" type="application/rss+xml" title="{article.category.name}'
    feed_url = reverse("news:category_rss", args=[article.category.slug])
    for url in (article.category.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert link in html and f'href="{feed_url}"' in html

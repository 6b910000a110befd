"""The visitor box, the day boundary in Vietnam time, "Đọc nhiều" and the privacy page."""

import re
import uuid
from datetime import date, datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache as real_cache
from django.test import Client
from django.utils import timezone

from news.models import Article
from stats import live, services
from stats.days import local_day
from stats.models import ArticleDay, DailyTraffic, VisitorDay

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def frozen(moment):
    return patch("django.utils.timezone.now", return_value=moment)


def box(html):
    """The box as a reader sees it: {label: number as shown}."""
    section = re.search(r'<section class="widget stats-box".*?</section>', html, re.S).group(0)
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section))


def visitors(day, count, last_seen):
    """`count` visitors who came on `day`, last seen at `last_seen`."""
    VisitorDay.objects.bulk_create(
        [VisitorDay(day=day, visitor=uuid.uuid4(), last_seen=last_seen) for _ in range(count)]
    )


def future_midnight():
    """A Vietnam midnight starting a month, after now (articles published now are visible then)."""
    today = timezone.localdate(timezone.now(), VN)
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return datetime(first.year, first.month, first.day, tzinfo=VN)


@pytest.mark.django_db
def test_box_numbers_on_a_rendered_page(client, article):
    """Đang truy cập, Hôm nay, Hôm qua, Tháng này, Tổng truy cập, in Vietnamese number format."""
    now = datetime(2031, 11, 15, 10, 0, tzinfo=VN)
    # Closed days (stats_rollup wrote their totals) …
    DailyTraffic.objects.bulk_create(
        [
            DailyTraffic(day=date(2031, 11, 1), visits=1000, views=1),
            DailyTraffic(day=date(2031, 10, 31), visits=500_000, views=1),
        ]
    )
    # … and today and yesterday, counted from their visitors: three seen in the last five minutes.
    for seconds_ago in (10, 60, 299):
        visitors(date(2031, 11, 15), 1, now - timedelta(seconds=seconds_ago))
    visitors(date(2031, 11, 15), 1, now - timedelta(minutes=5, seconds=1))
    visitors(date(2031, 11, 15), 1230, now - timedelta(hours=2))
    visitors(date(2031, 11, 14), 2345, now - timedelta(hours=20))
    with frozen(now):
        html = client.get(article.get_absolute_url(), HTTP_USER_AGENT=BOT).text
    assert box(html) == {
        "Đang truy cập": "3",
        "Hôm nay": "1.234",
        "Hôm qua": "2.345",
        "Tháng này": "4.579",
        "Tổng truy cập": "504.579",
    }
    assert "Thống kê truy cập" in html


@pytest.mark.django_db
def test_every_public_page_has_the_box(client, article):
    for url in ["/", article.get_absolute_url(), "/chuyen-muc/hoat-dong-cua-so/", "/quyen-rieng-tu/"]:
        html = client.get(url, HTTP_USER_AGENT=BROWSER).text
        assert "Đang truy cập" in box(html), url
        assert "<!--stats:" not in html


@pytest.mark.django_db
def test_box_counts_the_reader_who_just_arrived(client, article):
    html = client.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER).text
    assert box(html)["Đang truy cập"] == "1"
    assert box(html)["Hôm nay"] == "1"


@pytest.mark.django_db
def test_box_is_cached_for_a_minute_then_refreshed(client, article):
    start = timezone.now()
    with frozen(start):
        client.get("/", HTTP_USER_AGENT=BOT)
    visitors(local_day(start), 42, start)
    with frozen(start + timedelta(seconds=59)):
        assert box(client.get("/", HTTP_USER_AGENT=BOT).text)["Hôm nay"] == "0"
    with frozen(start + timedelta(seconds=61)):
        assert box(client.get("/", HTTP_USER_AGENT=BOT).text)["Hôm nay"] == "42"


class CacheSpy:
    """The real cache, with its calls written down."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        method = getattr(real_cache, name)

        def spy(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return spy


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/chuyen-muc/hoat-dong-cua-so/", "article"])
def test_live_blocks_cost_one_cache_read_per_page(client, article, monkeypatch, url):
    url = article.get_absolute_url() if url == "article" else url
    client.get(url, HTTP_USER_AGENT=BOT)  # warm
    spy = CacheSpy()
    monkeypatch.setattr(live, "cache", spy)
    client.get(url, HTTP_USER_AGENT=BOT)
    assert spy.calls == ["get_many"]


@pytest.mark.django_db
def test_stale_box_is_rebuilt_by_one_request_while_others_get_the_stale_one(article):
    start = timezone.now()
    first = live.rendered([services.BOX], "vi", start)[services.BOX]
    visitors(local_day(start), 7, start)
    later = start + timedelta(seconds=61)
    key = live.block_key(services.BOX, "vi")
    real_cache.add(f"{key}:lock", 1, 30)  # another worker is rebuilding it
    assert live.rendered([services.BOX], "vi", later)[services.BOX] == first
    real_cache.delete(f"{key}:lock")
    assert b"<dd>7</dd>" in live.rendered([services.BOX], "vi", later)[services.BOX]


@pytest.mark.django_db
def test_day_boundary_is_midnight_in_vietnam(make_article):
    """A reader at 23:59:59 and again at 00:00:00 Vietnam time (16:59:59 / 17:00:00 UTC)."""
    midnight = future_midnight()
    before, after = midnight - timedelta(seconds=1), midnight
    assert before.astimezone(ZoneInfo("UTC")).hour == 16
    first, second = make_article("Tin buổi tối"), make_article("Tin buổi sáng")
    reader = Client()
    with frozen(before):
        reader.get(first.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    with frozen(after):
        html = reader.get(second.get_absolute_url(), HTTP_USER_AGENT=BROWSER).text
    last_day, new_day = before.date(), after.date()
    assert ArticleDay.objects.get(article_id=first.pk).day == last_day
    assert ArticleDay.objects.get(article_id=second.pk).day == new_day
    assert services.traffic() == {last_day: (1, 1), new_day: (1, 1)}  # (visits, views) per day
    # The new day is also a new month: "Tháng này" starts again.
    assert box(html) == {
        "Đang truy cập": "1",
        "Hôm nay": "1",
        "Hôm qua": "1",
        "Tháng này": "1",
        "Tổng truy cập": "2",
    }


@pytest.mark.django_db
def test_day_boundary_ignores_the_active_time_zone(make_article):
    """The day is Vietnam's even if a request activated another time zone (UTC is still yesterday)."""
    midnight = future_midnight()
    article = make_article("Tin nửa đêm")
    with frozen(midnight + timedelta(minutes=1)), timezone.override(ZoneInfo("UTC")):
        Client().get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert list(services.traffic()) == [midnight.date()]


@pytest.mark.django_db
def test_most_read_of_the_last_seven_days(client, make_article):
    today = local_day(timezone.now())
    popular, second, old_news, draft = (
        make_article("Bài đọc nhiều nhất"),
        make_article("Bài đọc nhiều thứ hai"),
        make_article("Bài chỉ được đọc tuần trước"),
        make_article("Bài đã gỡ", status=Article.Status.DRAFT),
    )
    ArticleDay.objects.bulk_create(
        [
            ArticleDay(article_id=popular.pk, day=today, views=1000),
            ArticleDay(article_id=popular.pk, day=today - timedelta(days=6), views=500),
            ArticleDay(article_id=second.pk, day=today - timedelta(days=1), views=1200),
            ArticleDay(article_id=old_news.pk, day=today - timedelta(days=7), views=99999),
            ArticleDay(article_id=draft.pk, day=today, views=5000),
        ]
    )
    html = client.get("/", HTTP_USER_AGENT=BOT).text
    block = re.search(r'<section class="widget most-read".*?</section>', html, re.S).group(0)
    titles = re.findall(r'<a href="[^"]+">([^<]+)</a>', block)
    assert titles == ["Bài đọc nhiều nhất", "Bài đọc nhiều thứ hai"]
    assert "1.500 lượt xem" in block
    assert "Đọc nhiều" in block


@pytest.mark.django_db
def test_no_most_read_block_without_views(client, article):
    assert "most-read" not in client.get("/", HTTP_USER_AGENT=BOT).text


@pytest.mark.django_db
def test_most_read_is_refreshed_every_five_minutes(client, article):
    start = timezone.now()
    with frozen(start):
        assert "most-read" not in client.get("/", HTTP_USER_AGENT=BOT).text
    ArticleDay.objects.create(article_id=article.pk, day=local_day(start), views=3)
    with frozen(start + timedelta(minutes=4)):
        assert "most-read" not in client.get("/", HTTP_USER_AGENT=BOT).text
    with frozen(start + timedelta(minutes=5, seconds=1)):
        assert article.title in client.get("/", HTTP_USER_AGENT=BOT).text


@pytest.mark.django_db
def test_privacy_page_explains_the_cookie(client):
    response = client.get("/quyen-rieng-tu/", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    html = response.text
    assert "Quyền riêng tư và cookie thống kê" in html
    assert "<code>vid</code>" in html
    assert "1 năm" in html
    assert "không gắn với tên" in html
    assert "30 phút" in html
    assert "tối đa 3 lượt xem mỗi phút" in html  # the cookieless rule, stated
    assert "được xóa 180 ngày sau khi góp ý được trả lời" in html  # FEEDBACK_CONTACT_RETENTION_DAYS
    assert "Nghị định 13/2023/NĐ-CP" in html


@pytest.mark.django_db
def test_footer_links_to_the_privacy_page(client, article):
    assert 'href="/quyen-rieng-tu/"' in client.get("/", HTTP_USER_AGENT=BROWSER).text


@pytest.mark.django_db
def test_an_unpublished_article_leaves_most_read_at_once(client, article):
    ArticleDay.objects.create(article_id=article.pk, day=local_day(timezone.now()), views=3)
    assert article.title in client.get("/", HTTP_USER_AGENT=BOT).text
    article.status = Article.Status.DRAFT
    article.save()
    assert "most-read" not in client.get("/", HTTP_USER_AGENT=BOT).text


@pytest.mark.django_db
def test_a_renamed_article_is_renamed_in_most_read_at_once(client, article):
    ArticleDay.objects.create(article_id=article.pk, day=local_day(timezone.now()), views=3)
    client.get("/", HTTP_USER_AGENT=BOT)
    article.title = "Tiêu đề đã sửa"
    article.save()
    assert "Tiêu đề đã sửa" in client.get("/", HTTP_USER_AGENT=BOT).text

"""Search at /tim-kiem/: Vietnamese typed with or without accents, websearch syntax, typos,
highlighted snippets that cannot inject markup, filters, pagination, and only published articles."""

import json
import re
import unicodedata
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.search import normalize_query
from news.models import Article, Category
from news.search import ArticleSearch
from news.search import engine as search_module

SEED_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"
SEED_SLUG = "so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023"
SEED_JSON = Path(__file__).resolve().parents[1] / "news" / "demo" / "seed_article.json"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
URL = reverse("news:search")


@pytest.fixture
def seed(make_article):
    """The old site's article, with its real text."""
    data = json.loads(SEED_JSON.read_text("utf-8"))
    body = "".join(f"<p>{paragraph}</p>" for paragraph in data["paragraphs"])
    return make_article(
        data["title"],
        slug=SEED_SLUG,
        summary="Chiều 10/01/2023, Sở KH&CN tổ chức Hội nghị công tác năm 2022, triển khai kế hoạch năm 2023.",
        body=body,
        author=data["author"],
        publish_at=datetime(2023, 1, 10, 14, 0, tzinfo=VN),
    )


@pytest.fixture
def others(make_article):
    """Neighbours sharing some words with the seed article, newer than it."""
    return [
        make_article("Luật Khoa học, Công nghệ và Đổi mới sáng tạo có hiệu lực", summary="Luật mới về KH&CN."),
        make_article("Kiểm tra đo lường xăng dầu tại 45 cửa hàng", body="<p>Đoàn kiểm tra số 2 của tỉnh.</p>"),
        make_article("Nghiệm thu đề tài nông nghiệp", body="<p>Các nhiệm vụ khoa học được triển khai đúng hạn.</p>"),
    ]


def results(client, **params):
    """The articles' tab of /tim-kiem/ (the other kinds: tests/test_search_site.py)."""
    response = client.get(URL, {"loai": "tin-bai", **params})
    assert response.status_code == 200
    return response, [article.slug for article in response.context.get("results") or []]


@pytest.mark.parametrize(
    "query",
    [
        "khoa hoc cong nghe 2023",
        "sở khoa học",
        "SO KHOA HOC",
        '"trien khai nhiem vu"',
        "dong chi nguyen trung thao",
        unicodedata.normalize("NFD", "sở khoa học"),
        unicodedata.normalize("NFD", "Đồng chí Nguyễn Trung Thảo"),
    ],
)
def test_finds_seed_article_first(client, seed, others, query):
    """Each of the issue's examples puts the seed article first."""
    response, slugs = results(client, q=query)
    assert slugs[0] == SEED_SLUG
    assert f'href="{seed.get_absolute_url()}"' in response.content.decode()


def test_body_text_match_is_highlighted(client, seed, others):
    """`dong chi nguyen trung thao` highlights "Đồng chí Nguyễn Trung Thảo" from the body."""
    response, _ = results(client, q="dong chi nguyen trung thao")
    snippet = response.context["results"][0].snippet_html
    assert "<mark>Đồng</mark> <mark>chí</mark> <mark>Nguyễn</mark> <mark>Trung</mark> <mark>Thảo</mark>" in snippet


@pytest.mark.parametrize("variant", ["khoa học", "khoa hoc", "KHOA HỌC", "Khoa Hoc", "kHoA hỌc"])
def test_accent_and_case_folding(client, seed, others, variant):
    """Accents and case do not change what is found."""
    _, expected = results(client, q="khoa học")
    _, slugs = results(client, q=variant)
    assert sorted(slugs) == sorted(expected)
    assert SEED_SLUG in slugs


def test_d_stroke_folds_to_d(client, seed):
    """`dong` finds `Đồng` (đ is not a combining accent: unaccent maps it)."""
    _, slugs = results(client, q="dong chi")
    assert slugs == [SEED_SLUG]


def test_nfd_input_equals_nfc(client, seed, others):
    """Decomposed input (some phones) finds exactly what the composed one does."""
    text = "triển khai nhiệm vụ"
    _, composed = results(client, q=text)
    _, decomposed = results(client, q=unicodedata.normalize("NFD", text))
    assert composed == decomposed == [SEED_SLUG, others[2].slug]


def test_phrase_query_needs_the_words_together(client, seed, others):
    """Quotes ask for the exact phrase: scattered words do not match."""
    _, loose = results(client, q="trien khai nhiem vu")
    _, phrase = results(client, q='"trien khai nhiem vu"')
    assert others[2].slug in loose
    assert phrase == [SEED_SLUG]


def test_minus_excludes_a_word(client, seed, others):
    """`-word` removes articles containing it."""
    _, slugs = results(client, q="khoa hoc -2023")
    assert SEED_SLUG not in slugs
    assert others[0].slug in slugs


def test_or_operator(client, seed, others):
    """`or` between words finds either."""
    _, slugs = results(client, q="xang or thao")
    assert set(slugs) == {SEED_SLUG, others[1].slug}


def test_typo_suggests_the_closest_titles_and_a_respelling(client, seed, others):
    """`khao hoc cong nghe` finds nothing as typed, and offers the seed and a corrected query."""
    response, slugs = results(client, q="khao hoc cong nghe")
    html = response.content.decode()
    assert slugs == []
    assert "Có phải bạn muốn tìm:" in html
    assert seed in response.context["suggestions"]
    assert f'href="{seed.get_absolute_url()}"' in html
    assert response.context["correction"] == "khoa học công nghệ"
    _, corrected = results(client, q=response.context["correction"])
    assert SEED_SLUG in corrected[:2]


def test_title_match_outranks_body_match_and_recency_breaks_ties(client, make_article):
    """All words in the title beat a newer article with them only in the body; among equals the newer wins."""
    now = timezone.now()
    old_title = make_article("Chuyển đổi số trong quản lý", publish_at=now - timedelta(days=900))
    new_body = make_article("Tin tổng hợp", body="<p>Bàn về chuyển đổi số.</p>", publish_at=now - timedelta(hours=2))
    new_title = make_article("Chuyển đổi số ở cơ sở", publish_at=now - timedelta(days=3))
    _, slugs = results(client, q="chuyen doi so")
    assert slugs == [new_title.slug, old_title.slug, new_body.slug]


def test_typed_diacritics_rank_exact_spelling_first(client, make_article):
    """`sở` (department) ranks titles spelled `sở` above `số` (number); unaccented input finds both."""
    number = make_article("Số liệu khoa học mới", publish_at=timezone.now() - timedelta(hours=1))
    department = make_article("Sở khoa học ký kết hợp tác", publish_at=timezone.now() - timedelta(days=30))
    _, slugs = results(client, q="sở khoa học")
    assert slugs[0] == department.slug
    _, plain = results(client, q="so khoa hoc")
    assert set(plain) == {number.slug, department.slug}


HIDDEN = ["draft", "pending", "archived", "future"]


@pytest.mark.parametrize("state", HIDDEN)
def test_unpublished_articles_are_never_found_nor_suggested(client, make_article, state):
    """Drafts, pending, archived and scheduled articles appear neither in results nor in suggestions."""
    if state == "future":
        fields = {"publish_at": timezone.now() + timedelta(days=2)}
    else:
        fields = {"status": state}
    visible = make_article("Hội thảo chuyển giao công nghệ sinh học")
    hidden = make_article("Hội thảo chuyển giao công nghệ sinh học bí mật", **fields)
    response, slugs = results(client, q="chuyen giao cong nghe sinh hoc")
    assert slugs == [visible.slug]
    response, slugs = results(client, q="hoi thao chuyen giao bi mat")
    assert slugs == []
    assert hidden.title not in response.content.decode()
    assert hidden not in (response.context.get("suggestions") or [])


def test_hostile_article_text_is_escaped_in_title_and_snippet(client, make_article):
    """Text that looks like markup in an article stays text; only <mark> is HTML."""
    make_article(
        "Cảnh báo <b>mã độc</b> giả mạo",
        # The editor's HTML is sanitised, but its text keeps the characters: body_text has a literal "<img …>".
        body="<p>Mã độc &lt;img src=x onerror=alert(1)&gt; lây lan qua thư điện tử.</p>",
    )
    response, slugs = results(client, q="ma doc")
    html = response.content.decode()
    item = response.context["results"][0]
    assert "<img src=x" not in html and "<b>mã độc</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in item.snippet_html
    assert "<mark>Mã</mark> <mark>độc</mark>" in item.snippet_html
    assert str(item.title_html) == "Cảnh báo &lt;b&gt;<mark>mã</mark> <mark>độc</mark>&lt;/b&gt; giả mạo"
    assert set(re.findall(r"</?([a-zA-Z]+)", item.snippet_html + item.title_html)) == {"mark"}


@pytest.mark.parametrize(
    "query",
    [
        '"><script>alert(1)</script>',
        "khoa <img src=x onerror=alert(1)>",
        "khoa \ue000hoc\ue001 </mark><script>",
        "' OR 1=1; DROP TABLE news_article; --",
        "khoa\x00hoc",
        "!!! ((( ::: & | <->",
        "-khoa -hoc",
        "\\",
    ],
)
def test_hostile_queries_are_escaped_and_never_fail(client, seed, query):
    """Markup, SQL, NUL bytes, tsquery operators and sentinels: a 200 page, the query shown as text."""
    response = client.get(URL, {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html and "</mark><script>" not in html
    assert Article.objects.filter(slug=SEED_SLUG).exists()
    box = re.search(r'<input type="search" name="q" id="id_q" value="([^"]*)"', html)
    assert box is not None
    assert unescape(box.group(1)) == normalize_query(query)
    assert "\x00" not in html


def test_query_stays_in_both_boxes(client, seed):
    """The page's box and the header's box show what was searched."""
    html = client.get(URL, {"q": "Khoa học & <công nghệ>"}).content.decode()
    assert 'id="id_q" value="Khoa học &amp; &lt;công nghệ&gt;"' in html
    assert 'id="header-q"' in html and 'value="Khoa học &amp; &lt;công nghệ&gt;"' in html


def test_first_visit_shows_the_form_without_reproach(client, db):
    """/tim-kiem/ with no query: a form and a hint, no error."""
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hãy nhập từ khóa" not in html
    assert "có dấu hoặc không dấu" in html


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query_gets_a_message(client, db, query):
    """An empty box gets a Vietnamese message, not an error page."""
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert "Hãy nhập từ khóa cần tìm." in response.content.decode()
    assert not response.context.get("searched")


def test_overlong_query_gets_a_message_and_is_kept(client, db):
    """Over 200 characters: a message with the limit, and the text is still in the box."""
    query = "khoa học " * 30
    response = client.get(URL, {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Từ khóa dài quá 200 ký tự" in html
    assert query.strip() in unescape(html)
    assert not response.context.get("searched")


def test_200_characters_are_allowed(client, seed):
    """Exactly 200 characters (after NFC) is still a search."""
    query = ("khoa " * 40)[:199] + "x"
    assert len(query) == 200
    response = client.get(URL, {"q": query})
    assert response.context["searched"]


def test_only_excluded_words_gets_a_message(client, seed):
    """`-khoa` alone asks for nothing: a message instead of scanning everything."""
    html = client.get(URL, {"q": "-khoa -hoc"}).content.decode()
    assert "Hãy nhập ít nhất một từ cần tìm" in html


@pytest.fixture
def many(make_article):
    now = timezone.now()
    return [make_article(f"Bản tin chuyển đổi số số {n}", publish_at=now - timedelta(hours=n)) for n in range(1, 26)]


def test_pagination_keeps_the_query_and_filters(client, many, category):
    """25 results, 10 per page: three pages, links carry q and the filters, every result once."""
    params = {"q": "chuyen doi so", "chuyen_muc": category.slug, "tu_ngay": "01/01/2020"}
    seen = []
    for number, size in ((1, 10), (2, 10), (3, 5)):
        response, slugs = results(client, **params, page=number)
        assert len(slugs) == size
        seen += slugs
        html = response.content.decode()
        assert f"Trang {number} / 3" in html
        if number < 3:
            assert (
                f"q=chuyen+doi+so&amp;loai=tin-bai&amp;chuyen_muc={category.slug}&amp;tu_ngay=2020-01-01"
                f"&amp;page={number + 1}" in html
            )
    assert sorted(seen) == sorted(a.slug for a in many)
    assert "Tìm thấy 25 kết quả" in html


@pytest.mark.parametrize(("page", "expected"), [("99", 3), ("abc", 1), ("-1", 3), ("0", 3), ("", 1)])
def test_bad_page_numbers_fall_back(client, many, page, expected):
    """Out-of-range or non-numeric pages show the nearest page rather than failing."""
    response = client.get(URL, {"q": "chuyen doi so", "loai": "tin-bai", "page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_category_filter_includes_children(client, make_article, category):
    """Filtering by a parent category finds its children's articles, not other categories'."""
    parent = Category.objects.create(name="Khoa học - Công nghệ", slug="khoa-hoc-cong-nghe")
    child = Category.objects.create(name="Đổi mới sáng tạo", slug="doi-moi-sang-tao", parent=parent)
    in_child = make_article("Ứng dụng trí tuệ nhân tạo", category=child)
    in_parent = make_article("Trí tuệ nhân tạo cho nông nghiệp", category=parent)
    elsewhere = make_article("Trí tuệ nhân tạo ở Sở", category=category)
    _, slugs = results(client, q="tri tue nhan tao", chuyen_muc=parent.slug)
    assert set(slugs) == {in_child.slug, in_parent.slug}
    _, slugs = results(client, q="tri tue nhan tao", chuyen_muc=child.slug)
    assert slugs == [in_child.slug]
    _, slugs = results(client, q="tri tue nhan tao")
    assert elsewhere.slug in slugs


def test_date_filter_uses_local_days(client, make_article):
    """tu_ngay/den_ngay are whole days in Vietnam's time, both ends included."""
    first = make_article("Hội nghị đầu năm", publish_at=datetime(2023, 1, 10, 0, 5, tzinfo=VN))
    last = make_article("Hội nghị cuối tháng", publish_at=datetime(2023, 1, 31, 23, 55, tzinfo=VN))
    make_article("Hội nghị tháng hai", publish_at=datetime(2023, 2, 1, 0, 5, tzinfo=VN))
    make_article("Hội nghị tháng trước", publish_at=datetime(2023, 1, 9, 23, 55, tzinfo=VN))
    _, slugs = results(client, q="hoi nghi", tu_ngay="10/01/2023", den_ngay="2023-01-31")
    assert set(slugs) == {first.slug, last.slug}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu_ngay": "32/13/2023"}, "Ngày không hợp lệ"),
        ({"den_ngay": "hôm qua"}, "Ngày không hợp lệ"),
        ({"tu_ngay": "0001-01-01"}, "trong khoảng năm 1900 đến năm 2100"),
        ({"den_ngay": "9999-12-31"}, "trong khoảng năm 1900 đến năm 2100"),
        ({"tu_ngay": "2023-02-01", "den_ngay": "2023-01-01"}, "phải sau hoặc trùng"),
        ({"chuyen_muc": "khong-co"}, "Chuyên mục này không tồn tại."),
    ],
)
def test_bad_filters_get_vietnamese_messages(client, seed, params, message):
    """Bad dates or categories: 200 with a message next to the field, the query kept."""
    response = client.get(URL, {"q": "khoa hoc", **params})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert message in html
    assert 'value="khoa hoc"' in html
    assert '<details class="search-filters" open>' in html


def test_capped_count_says_more_than(client, monkeypatch, many):
    """When matches exceed the ranked pool, the count is "more than" and pages stay consistent."""
    monkeypatch.setattr(search_module, "RECENT_POOL", 12)
    monkeypatch.setattr(search_module, "TITLE_POOL", 3)
    response, slugs = results(client, q="chuyen doi so")
    assert "Có hơn 12 kết quả" in response.content.decode()
    search = response.context["search"]
    assert search.capped and 12 <= len(search.pool) <= 15


def test_bounded_pool_still_ranks_an_old_title_match(client, monkeypatch, make_article):
    """With more newer matches than the pool holds, an old article named after the query still comes first."""
    monkeypatch.setattr(search_module, "RECENT_POOL", 5)
    for n in range(1, 11):
        make_article(
            f"Tin tổng hợp {n}", body="<p>Bàn về chuyển đổi số.</p>", publish_at=timezone.now() - timedelta(hours=n)
        )
    old = make_article("Chuyển đổi số", publish_at=timezone.now() - timedelta(days=3000))
    _, slugs = results(client, q="chuyen doi so")
    assert slugs[0] == old.slug


def test_search_page_query_count(client, seed, others, django_assert_max_num_queries):
    """The articles' tab is a fixed number of queries: categories, pool, one ranked page, one count per
    other kind (six other kinds with drafts for comment) plus the shared page parts; tests/test_search_site.py
    checks the other tabs."""
    client.get(URL, {"q": "khoa hoc"})  # warm the menu cache
    with django_assert_max_num_queries(11):
        client.get(URL, {"q": "khoa hoc", "chuyen_muc": "hoat-dong-cua-so", "tu_ngay": "2020-01-01"})
    with django_assert_max_num_queries(11):
        client.get(URL, {"q": "khao hoc cong nghe", "loai": "tin-bai"})


def _plan(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_full_text_match_uses_the_gin_index(db, seed, others, django_assert_num_queries):
    """EXPLAIN of the search's own pool query: GIN index on search_vector, and the title's for title matches."""
    Article.objects.bulk_create(
        Article(
            title=f"Tin thường nhật số {n}",
            slug=f"tin-thuong-nhat-{n}",
            category=seed.category,
            body_text="Nội dung thường nhật của cơ quan.",
            status=Article.Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(minutes=n),
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        # What autovacuum does: merge GIN's pending list of fresh entries into the index proper.
        cursor.execute("SELECT gin_clean_pending_list('article_search_idx'::regclass)")
        cursor.execute("SELECT gin_clean_pending_list('article_title_search_idx'::regclass)")
        cursor.execute("ANALYZE news_article")
    search = ArticleSearch("dong chi nguyen trung thao")
    with CaptureQueriesContext(connection) as captured:
        search.find()
    assert search.pool == [seed.pk]
    pool_sql = captured.captured_queries[0]["sql"]
    plan = _plan(pool_sql, None)
    assert "Bitmap Index Scan on article_search_idx" in plan, plan
    assert "Bitmap Index Scan on article_title_search_idx" in plan, plan

"""Rating the portal: the footer form, the per-visitor limit in the database, the leaders' dashboard."""

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from rating.models import Rating
from rating.services import visitor_hash

pytestmark = pytest.mark.django_db

URL = "/danh-gia/"
EN_URL = "/en/rating/"  # the form on the English pages (/en/…) is sent here
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def vid(client):
    """A reader with the stats app's visitor cookie."""
    value = uuid.uuid4().hex
    client.cookies["vid"] = value
    return value


def rate(client, level=5, comment="", **extra):
    return client.post(URL, {"level": level, "comment": comment, "page": "/van-ban/"}, **extra)


def test_footer_form_on_every_page_without_a_csrf_token(client, article):
    """Shared (cached) pages carry the same form for everyone: no per-reader token in it."""
    for url in ("/", article.get_absolute_url(), "/van-ban/", "/gioi-thieu/", "/hoi-dap/"):
        html = client.get(url).content.decode()
        form = html[html.index('class="rating-form"') : html.index("</form>", html.index('class="rating-form"'))]
        assert "Bạn đánh giá thế nào về cổng thông tin?" in form
        for label in ("Rất tốt", "Tốt", "Bình thường", "Chưa tốt", "Kém"):
            assert f"<span>{label}</span>" in form
        assert "csrfmiddlewaretoken" not in form
        assert "<legend>" in form and 'name="comment"' in form


def test_rating_is_stored_with_hashes_only(client, vid):
    response = rate(client, 4, "Trang dễ đọc trên điện thoại.", **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Cảm ơn bạn đã đánh giá! Ý kiến của bạn giúp chúng tôi làm cổng thông tin tốt hơn.",
    }
    rating = Rating.objects.get()
    assert (rating.level, rating.comment, rating.page, rating.language) == (
        4,
        "Trang dễ đọc trên điện thoại.",
        "/van-ban/",
        "vi",
    )
    assert len(rating.visitor_hash) == 64 and vid not in rating.visitor_hash
    assert rating.ip_hash and "127.0.0.1" not in rating.ip_hash
    assert "no-store" in response["Cache-Control"]


def test_without_javascript_the_reader_gets_a_thank_you_page(client):
    response = rate(client, 5)
    assert response.status_code == 302
    assert response["Location"] == "/danh-gia/cam-on/?tiep=%2Fvan-ban%2F"
    html = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã đánh giá" in html and 'href="/van-ban/"' in html
    # Only a path of this site is ever a way back.
    assert 'href="/"' in client.get("/danh-gia/cam-on/?tiep=https://evil.example/").content.decode()


def test_missing_level_is_explained_and_the_comment_kept(client):
    response = client.post(URL, {"comment": "Tôi muốn góp ý nhưng quên chọn mức."})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Hãy chọn một mức đánh giá." in html
    assert "Tôi muốn góp ý nhưng quên chọn mức." in html
    assert Rating.objects.count() == 0
    as_json = client.post(URL, {"level": "9"}, **JSON)
    assert as_json.status_code == 400 and as_json.json()["message"] == "Hãy chọn một mức đánh giá."


def test_nth_rating_in_a_day_is_refused_and_nothing_stored(client, vid, settings):
    """RATING_PER_VISITOR (3) ratings a day per visitor; the 4th gets 429 and a Vietnamese message."""
    for level in (5, 4, 3):
        assert rate(client, level, **JSON).status_code == 200
    response = rate(client, 1, "Lần thứ tư", **JSON)
    assert response.status_code == 429
    message = response.json()["message"]
    assert message.startswith("Bạn (hoặc mạng bạn đang dùng) đã gửi đủ 3 đánh giá trong 24 giờ qua")
    assert "chưa được lưu" in message
    assert int(response["Retry-After"]) > 23 * 3600
    assert Rating.objects.count() == 3 and not Rating.objects.filter(comment="Lần thứ tư").exists()
    # Without JavaScript: the page says so, with the comment kept.
    page = rate(client, 1, "Lần thứ năm")
    assert page.status_code == 429 and "Lần thứ năm" in page.content.decode()
    assert "đánh giá này chưa được lưu" in page.content.decode()


def test_limit_period_slides(client, vid):
    for _ in range(3):
        rate(client, **JSON)
    Rating.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert rate(client, **JSON).status_code == 200


def test_each_visitor_has_their_own_allowance_but_an_address_has_a_ceiling(client, settings):
    """Visitors are told apart by their cookie; many visitors behind one address stop at RATING_PER_IP."""
    settings.RATING_PER_IP = 5
    for _ in range(5):
        client.cookies["vid"] = uuid.uuid4().hex
        assert rate(client, **JSON).status_code == 200
    client.cookies["vid"] = uuid.uuid4().hex
    response = rate(client, **JSON)
    assert response.status_code == 429 and "đã gửi đủ 5 đánh giá" in response.json()["message"]
    assert Rating.objects.count() == 5


def test_without_cookie_the_address_is_the_visitor(client):
    for _ in range(3):
        assert rate(client, **JSON).status_code == 200
    assert rate(client, **JSON).status_code == 429
    assert Rating.objects.values("visitor_hash").distinct().count() == 1
    assert visitor_hash("", "abc") != visitor_hash("abc", "abc")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_ratings_cannot_slip_past_the_limit(settings):
    """Eight ratings at once from one visitor: the advisory lock lets exactly three in."""
    from django.test import Client

    settings.RATING_PER_VISITOR = 3
    value = uuid.uuid4().hex
    barrier = threading.Barrier(8)
    statuses = []

    def send():
        client = Client()
        client.cookies["vid"] = value
        barrier.wait(timeout=60)
        statuses.append(rate(client, **JSON).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [200] * 3 + [429] * 5
    assert Rating.objects.count() == 3


def test_cross_site_posts_are_refused(client):
    assert rate(client, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert rate(client, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert Rating.objects.count() == 0
    assert rate(client, HTTP_ORIGIN="http://testserver", **JSON).status_code == 200


def test_robots_filling_the_trap_are_thanked_but_not_stored(client):
    response = client.post(URL, {"level": 5, "website": "http://spam.example"}, **JSON)
    assert response.status_code == 200 and response.json()["ok"]
    assert Rating.objects.count() == 0


def test_english_form_is_answered_in_english(client):
    response = client.post(EN_URL, {"level": 3}, **JSON)
    assert response.json()["message"] == "Thank you for your rating! Your opinion helps us improve the portal."
    assert response["Content-Language"] == "en" and "no-store" in response["Cache-Control"]
    assert Rating.objects.get().language == "en"


def test_english_form_without_javascript_gets_an_english_thank_you_page(client):
    response = client.post(EN_URL, {"level": 4, "page": "/en/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/rating/thanks/?tiep=%2Fen%2Fabout%2F"
    response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert '<html lang="en">' in html and "Thank you for your rating" in html and 'href="/en/about/"' in html
    assert "Cảm ơn" not in html and "no-store" in response["Cache-Control"]
    assert Rating.objects.get().language == "en"


def test_the_language_comes_from_the_url_not_the_browser(client):
    """A Vietnamese page's form (/danh-gia/) is answered in Vietnamese, whatever the browser prefers."""
    client.cookies["django_language"] = "en"
    response = client.post(URL, {"level": 3}, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", **JSON)
    assert response.json()["message"].startswith("Cảm ơn bạn đã đánh giá!")
    assert Rating.objects.get().language == "vi"
    # The form's own URL in each language; no other spelling exists.
    assert client.get("/en/danh-gia/").status_code == 404 and client.get("/rating/").status_code == 404


def test_too_long_comment_is_explained_in_english_on_english_pages(client):
    """The length limit, like every other message of the form, is in English for a form sent from /en/."""
    expected = "At most 1,000 characters; you have typed 1,001. Please shorten your text."
    response = client.post(EN_URL, {"level": 2, "comment": "x" * 1001}, **JSON)
    assert response.status_code == 400 and response.json()["errors"]["comment"] == [expected]
    html = client.post(EN_URL, {"level": 2, "comment": "x" * 1001}).content.decode()
    assert f'id="rating-page-comment_error">{expected}</p>' in html
    assert "Tối đa" not in html
    vietnamese = client.post(URL, {"level": 2, "comment": "x" * 1001}, **JSON).json()["message"]
    assert vietnamese == "Tối đa 1.000 ký tự; bạn đã nhập 1.001 ký tự. Vui lòng rút gọn."
    assert Rating.objects.count() == 0


def test_comment_is_plain_text_and_limited(client):
    response = client.post(URL, {"level": 2, "comment": "x" * 1001}, **JSON)
    assert response.status_code == 400
    client.post(URL, {"level": 2, "comment": "  <b>Chữ\u0000 đậm</b>  "}, **JSON)
    assert Rating.objects.get().comment == "<b>Chữ đậm</b>"


def test_rating_page_without_javascript(client):
    html = client.get(URL).content.decode()
    assert "<h1" in html and "Đánh giá cổng thông tin" in html
    assert html.count('class="rating-form"') == 1  # the footer's form is left out here: no duplicate ids
    assert 'id="rating-page-id_level_0"' not in html and 'id="rating-page-level_0"' in html


# The leaders' dashboard ------------------------------------------------------------------------------


@pytest.fixture
def leader(db, django_user_model):
    user = django_user_model.objects.create_user(username="lanhdao", password="mat-khau-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Lãnh đạo"))
    return user


def test_dashboard_shows_counts_per_level_per_month_and_comments(client, leader):
    now = timezone.localtime()
    last_month = (now.replace(day=1) - timedelta(days=1)).replace(hour=12)
    rows = [
        Rating(level=5, created_at=now),
        Rating(level=5, created_at=now),
        Rating(level=2, created_at=now),
        Rating(level=4, created_at=last_month),
        Rating(level=1, comment="<script>alert(1)</script> Trang chậm", created_at=now - timedelta(minutes=5)),
        Rating(level=3, comment="Ý kiến cũ", created_at=now - timedelta(days=400)),
    ]
    Rating.objects.bulk_create(rows)
    client.force_login(leader)
    html = client.get("/admin/stats/dashboard/").content.decode()
    section = html[html.index('id="rating-title"') :]
    assert "Người đọc đánh giá cổng thông tin, 12 tháng gần đây" in section
    this_month = f'<th scope="row">{now:%m/%Y}</th>'
    row = section[section.index(this_month) : section.index("</tr>", section.index(this_month))]
    assert [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)] == [2, 0, 0, 1, 1, 4]
    assert "3,25" in row  # average score (5 + 5 + 2 + 1) / 4, Vietnamese decimal comma
    assert f'<th scope="row">{last_month:%m/%Y}</th>' in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Trang chậm" in section and "<script>alert(1)" not in section
    assert "Ý kiến cũ" in section  # the latest comments, whatever their month


@pytest.mark.django_db
def test_rating_hashes_are_blanked_after_their_days(settings):
    """Decree 13: the pseudonymous hashes serve the rate limit only; rating_cleanup blanks old ones."""
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from rating.models import Rating

    settings.RATING_HASH_DAYS = 30
    old = Rating.objects.create(level=5, comment="Trang dễ đọc.", visitor_hash="a" * 64, ip_hash="b" * 64)
    Rating.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = Rating.objects.create(level=4, visitor_hash="c" * 64, ip_hash="d" * 64)
    out = io.StringIO()
    call_command("rating_cleanup", stdout=out)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.visitor_hash, old.ip_hash, old.level, old.comment) == ("", "", 5, "Trang dễ đọc.")
    assert recent.visitor_hash == "c" * 64 and recent.ip_hash == "d" * 64
    assert "1 lượt đánh giá" in out.getvalue()

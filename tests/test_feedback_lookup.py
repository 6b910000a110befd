"""/gop-y/tra-cuu/: the citizen follows their submission with its code (Decree 42/2022/NĐ-CP)."""

import pytest
from django.utils.html import escape

from feedback.models import Feedback

from .test_feedback_support import answered, make_feedback, text_of

pytestmark = pytest.mark.django_db

LOOKUP_URL = "/gop-y/tra-cuu/"


def test_empty_lookup_page(client):
    response = client.get(LOOKUP_URL)
    html = text_of(response)
    assert response.status_code == 200
    assert "Tra cứu góp ý" in html and 'name="ma"' in html
    assert "no-store" in response["Cache-Control"]


def test_new_item_shows_its_status(client):
    item = make_feedback(title="Hỏi về <b>thủ tục</b>", content="Nội dung\ncủa tôi", email="a@example.vn")
    response = client.get(LOOKUP_URL, {"ma": item.code})
    html = text_of(response)
    assert escape("Hỏi về <b>thủ tục</b>") in html
    assert "Nội dung<br>của tôi" in html
    assert 'fb-status fb-status-new">Mới<' in html
    assert "Sở đang xem xét góp ý của bạn." in html
    assert "Câu trả lời sẽ được gửi tới email bạn đã để lại." in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_answer_is_shown_published_or_not(client):
    for public in (False, True):
        item = answered(answer="Câu trả lời <i>của Sở</i>.", is_public=public)
        html = text_of(client.get(LOOKUP_URL, {"ma": item.code}))
        assert "Trả lời của Sở" in html and escape("Câu trả lời <i>của Sở</i>.") in html
        assert "Phòng Quản lý chuyên ngành" in html
        assert ("Câu hỏi này được công khai trên trang Hỏi đáp" in html) is public


def test_personal_details_are_not_shown(client):
    item = make_feedback(name="Họ Tên Riêng", email="rieng@example.vn", phone="0912345678")
    html = text_of(client.get(LOOKUP_URL, {"ma": item.code}))
    for private in ("Họ Tên Riêng", "rieng@example.vn", "0912345678"):
        assert private not in html


def test_spam_is_shown_as_rejected(client):
    item = make_feedback(status=Feedback.Status.SPAM)
    html = text_of(client.get(LOOKUP_URL, {"ma": item.code}))
    assert "Từ chối" in html and "Spam" not in html


def test_rejection_reasons_are_shown(client):
    item = make_feedback(status=Feedback.Status.REJECTED, answer="Không thuộc thẩm quyền.")
    html = text_of(client.get(LOOKUP_URL, {"ma": item.code}))
    assert "Phản hồi của Sở" in html and "Không thuộc thẩm quyền." in html


def test_draft_answer_of_an_open_item_is_not_shown(client):
    item = make_feedback(status=Feedback.Status.IN_PROGRESS, answer="Bản nháp trả lời")
    html = text_of(client.get(LOOKUP_URL, {"ma": item.code}))
    assert "Bản nháp trả lời" not in html and "Đang xử lý" in html


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {spaced} ", "{bare}", "gy {bare}"])
def test_code_typed_loosely_is_found(client, typed):
    item = make_feedback()
    code = item.code
    bare = code[3:]
    value = typed.format(code=code, lower=code.lower(), spaced=f"{code[:7]} {code[7:]}", bare=bare)
    assert item.title in text_of(client.get(LOOKUP_URL, {"ma": value}))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("GY-0000000O", "Mã tra cứu gồm “GY-” và 8 ký tự chữ, số"),
        ("<script>", "Mã tra cứu gồm “GY-” và 8 ký tự chữ, số"),
        ("GY-ABCDEFGH", "Không tìm thấy góp ý nào có mã GY-ABCDEFGH."),
        ("   ", "Vui lòng nhập mã tra cứu."),
    ],
)
def test_bad_codes_get_a_message(client, typed, message):
    make_feedback()
    response = client.get(LOOKUP_URL, {"ma": typed})
    assert response.status_code == 200
    assert message in text_of(response)


def test_guessing_codes_is_rate_limited(client):
    """30 wrong codes an hour per client, then 429: codes cannot be enumerated."""
    item = make_feedback()
    for _ in range(30):
        client.get(LOOKUP_URL, {"ma": "GY-ABCDEFGH"})
    response = client.get(LOOKUP_URL, {"ma": item.code})
    assert response.status_code == 429
    assert "Bạn đã tra cứu sai mã quá nhiều lần." in text_of(response)
    assert item.title not in text_of(response)


def test_lookup_queries(client, django_assert_max_num_queries, article):
    item = answered(article=article)
    # 4, and the footer's contact details with the content version they are kept under: read once per
    # version in each process (in production the version is polled once a second, here on every request).
    # + 6 for the frame staff edit (main and footer menus, categories, agency links, banners, announcements,
    # new documents), read once per content version and then kept as fragments (tests/test_navigation.py).
    with django_assert_max_num_queries(12):
        client.get(LOOKUP_URL, {"ma": item.code})

"""/hoi-dap/: published, answered questions, newest first, with accent-insensitive search."""

import unicodedata
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from feedback.models import Feedback

from .test_feedback_support import answered, make_feedback, text_of

pytestmark = pytest.mark.django_db

QA_URL = "/hoi-dap/"


def publish(title, days_ago=0, **fields):
    item = answered(title=title, is_public=True, **fields)
    Feedback.objects.filter(pk=item.pk).update(answered_at=timezone.now() - timedelta(days=days_ago))
    return item


def test_only_published_answered_items_are_shown(client):
    publish("Câu hỏi đã công khai")
    answered(title="Đã trả lời nhưng chưa công khai")
    make_feedback(title="Chưa trả lời")
    make_feedback(title="Spam", status=Feedback.Status.SPAM)
    html = text_of(client.get(QA_URL))
    assert "Câu hỏi đã công khai" in html
    for hidden in ("Đã trả lời nhưng chưa công khai", "Chưa trả lời", "Spam"):
        assert hidden not in html


def test_item_shows_question_date_answer_and_who_answered(client, article, settings):
    item = publish(
        "Thủ tục đăng ký nhãn hiệu",
        content="Tôi muốn hỏi thủ tục.\nXin cảm ơn.",
        answer="Bạn nộp hồ sơ tại Cục.\nTrân trọng.",
        answered_unit="Phòng Quản lý chuyên ngành",
        article=article,
        name="Nguyễn Văn Riêng Tư",
        email="rieng.tu@example.vn",
        phone="0912345678",
    )
    html = text_of(client.get(QA_URL))
    assert f'id="hoi-dap-{item.pk}"' in html
    assert "<h2" in html and "Thủ tục đăng ký nhãn hiệu" in html
    assert "Tôi muốn hỏi thủ tục.<br>Xin cảm ơn." in html
    assert "Bạn nộp hồ sơ tại Cục.<br>Trân trọng." in html
    assert "Phòng Quản lý chuyên ngành" in html
    assert timezone.localtime(item.created_at).strftime("%d/%m/%Y") in html
    assert escape(article.title) in html
    # The citizen's personal details are not published.
    for private in ("Nguyễn Văn Riêng Tư", "rieng.tu@example.vn", "0912345678"):
        assert private not in html


def test_unit_defaults_to_the_department(client, settings):
    publish("Câu hỏi", answered_unit="")
    assert settings.SITE_NAME in text_of(client.get(QA_URL)).split("fb-qa-answer-by")[1]


def test_edited_public_question_replaces_the_original(client):
    publish(
        "Câu hỏi", content="Số nhà tôi là 12 Lê Lợi, ĐT 0912345678.", public_question="(Đã lược bỏ thông tin cá nhân.)"
    )
    html = text_of(client.get(QA_URL))
    assert "(Đã lược bỏ thông tin cá nhân.)" in html and "12 Lê Lợi" not in html
    assert "12 Lê Lợi" not in text_of(client.get(QA_URL, {"q": "Lê Lợi"}))


def test_citizen_html_is_escaped(client):
    publish("<script>alert('q')</script>", content="<img src=x onerror=alert(1)> hỏi")
    html = text_of(client.get(QA_URL))
    assert "<script>alert('q')" not in html and "<img src=x" not in html
    assert escape("<script>alert('q')</script>") in html


def test_newest_answers_first_and_paginated(client):
    for number in range(12):
        publish(f"Câu hỏi số {number:02d}", days_ago=number)
    first = text_of(client.get(QA_URL))
    assert first.index("Câu hỏi số 00") < first.index("Câu hỏi số 01") < first.index("Câu hỏi số 09")
    assert "Câu hỏi số 10" not in first
    assert "Trang 1 / 2" in first and 'href="?page=2"' in first
    second = text_of(client.get(QA_URL, {"page": 2}))
    assert "Câu hỏi số 10" in second and "Câu hỏi số 11" in second and "Câu hỏi số 00" not in second
    assert client.get(QA_URL, {"page": 99}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "nhan hieu",
        "Nhãn Hiệu",
        "NHAN HIEU",
        unicodedata.normalize("NFD", "nhãn hiệu"),
        "đăng ký",
        "dang ky",
        '"nhan hieu"',
    ],
)
def test_search_is_accent_insensitive(client, query):
    publish("Thủ tục đăng ký nhãn hiệu", content="Cho tôi hỏi về nhãn hiệu tập thể.", answer="Trả lời.")
    publish("Đề tài khoa học cấp tỉnh", content="Hỏi về đề tài.", answer="Trả lời đề tài.")
    html = text_of(client.get(QA_URL, {"q": query}))
    assert "Thủ tục đăng ký nhãn hiệu" in html
    assert "Đề tài khoa học cấp tỉnh" not in html
    assert "1 câu hỏi phù hợp với" in html


def test_search_finds_words_in_the_answer_and_handles_dj(client):
    publish("Câu hỏi chung", content="Nội dung chung chung.", answer="Liên hệ Phòng Đo lường chất lượng.")
    assert "Câu hỏi chung" in text_of(client.get(QA_URL, {"q": "do luong"}))


def test_search_websearch_syntax_and_no_results(client):
    publish("Thủ tục đăng ký nhãn hiệu", content="Nhãn hiệu tập thể.")
    publish("Nhãn hiệu chứng nhận", content="Nhãn hiệu chứng nhận.")
    html = text_of(client.get(QA_URL, {"q": "nhan hieu -chung"}))
    assert "Thủ tục đăng ký nhãn hiệu" in html and "Nhãn hiệu chứng nhận" not in html
    html = text_of(client.get(QA_URL, {"q": "xyzkhongco"}))
    assert "Không tìm thấy câu hỏi nào phù hợp." in html


@pytest.mark.parametrize("query", ["", "   ", "&&||!!", "<script>", "a" * 300, "'; DROP TABLE x; --"])
def test_odd_queries_never_fail(client, query):
    publish("Một câu hỏi")
    response = client.get(QA_URL, {"q": query})
    assert response.status_code == 200
    assert "<script>" not in text_of(response).split("<main")[1]


def test_search_keeps_the_query_in_pagination(client):
    for number in range(11):
        publish(f"Nhãn hiệu số {number}")
    html = text_of(client.get(QA_URL, {"q": "nhãn hiệu"}))
    assert 'href="?q=nh%C3%A3n+hi%E1%BB%87u&amp;page=2"' in html


def test_queries_are_few_and_fixed(client, django_assert_max_num_queries, article):
    for number in range(10):
        publish(f"Câu hỏi {number}", article=article)
    # The first page also reads the footer's contact details (once per content version in each process).
    # + 6 for the frame staff edit (main and footer menus, categories, agency links, banners, announcements,
    # new documents), read once per content version and then kept as fragments (tests/test_navigation.py).
    with django_assert_max_num_queries(13):
        assert client.get(QA_URL).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(QA_URL, {"q": "cau hoi"}).status_code == 200


def test_search_uses_the_stored_vector(client):
    """The query goes through the generated column (config vn_unaccent), not a per-row function."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish("Câu hỏi")
    with CaptureQueriesContext(connection) as queries:
        client.get(QA_URL, {"q": "cau hoi"})
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"feedback_feedback"."search_vector" @@ (websearch_to_tsquery' in sql
    assert "'vn_unaccent'::regconfig" in sql


def test_no_link_to_an_article_that_was_unpublished(client, article):
    publish("Câu hỏi về bài đã gỡ", article=article)
    article.status = article.Status.DRAFT
    article.save()
    html = text_of(client.get(QA_URL))
    assert "Câu hỏi về bài đã gỡ" in html and article.get_absolute_url() not in html

"""Public answers on /hoi-dap/: staff publish a public version of the answer (pre-filled from the answer
sent to the citizen), and are warned when what goes public still names the citizen or holds an e-mail
address or a phone number."""

import pytest
from django.urls import reverse

from feedback.models import Feedback
from feedback.privacy import personal_data

from .test_feedback_support import make_feedback, staff_user, text_of

pytestmark = pytest.mark.django_db

PRIVATE = "Chào ông Trần Văn Bình, Sở xin trả lời: hồ sơ gồm đơn đăng ký và thuyết minh đề tài."
PUBLIC = "Sở xin trả lời: hồ sơ gồm đơn đăng ký và thuyết minh đề tài."


@pytest.fixture
def answered():
    return make_feedback(
        name="Trần Văn Bình",
        email="binh.tran@example.vn",
        phone="0912345678",
        title="Hồ sơ đăng ký đề tài",
        content="Tôi là Bình, số 0912 345 678, xin hỏi hồ sơ đăng ký đề tài gồm những gì?",
        status=Feedback.Status.ANSWERED,
        answer=PRIVATE,
    )


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(staff_user(django_user_model))
    return client


def change(client, item, **fields):
    url = reverse("admin:feedback_feedback_change", args=[item.pk])
    data = {
        "status": item.status,
        "answer": item.answer,
        "answered_unit": "",
        "public_title": "",
        "public_question": "",
        "public_answer": "",
        "staff_note": "",
        **fields,
    }
    data = {key: value for key, value in data.items() if value is not False}
    return client.post(url, data)


def test_the_form_proposes_the_answer_as_the_public_answer(staff_client, answered):
    page = text_of(staff_client.get(reverse("admin:feedback_feedback_change", args=[answered.pk])))
    assert "Câu trả lời khi công khai" in page
    assert page.count("Chào ông Trần Văn Bình") == 2  # the answer, and its copy to edit


def test_publishing_with_the_citizens_name_in_the_answer_is_stopped_and_names_it(staff_client, answered):
    response = change(staff_client, answered, is_public="on", public_answer=PRIVATE, public_question="Hồ sơ gồm gì?")
    assert response.status_code == 200
    page = text_of(response)
    assert "Phần công khai có thể còn thông tin cá nhân" in page
    assert "họ tên người gửi “Trần Văn Bình” (câu trả lời)" in page
    answered.refresh_from_db()
    assert not answered.is_public


def test_the_original_question_with_a_phone_number_is_caught_too(staff_client, answered):
    page = text_of(change(staff_client, answered, is_public="on", public_answer=PUBLIC))
    assert "số điện thoại người gửi “0912 345 678” (câu hỏi)" in page


def test_an_edited_public_version_goes_public_and_the_private_answer_stays_private(client, staff_client, answered):
    response = change(
        staff_client, answered, is_public="on", public_answer=PUBLIC, public_question="Hồ sơ đăng ký đề tài gồm gì?"
    )
    assert response.status_code == 302, text_of(response)[:3000]
    answered.refresh_from_db()
    assert answered.is_public and answered.public_answer == PUBLIC and answered.answer == PRIVATE
    qa = text_of(client.get("/hoi-dap/"))
    assert PUBLIC in qa and "Trần Văn Bình" not in qa and "0912" not in qa
    # The citizen's own tracking page keeps the answer they were sent.
    assert "Chào ông Trần Văn Bình" in text_of(client.get(answered.get_absolute_url()))
    # The site search finds the public answer, never the private words.
    found = text_of(client.get("/tim-kiem/", {"q": "thuyet minh de tai"}))
    assert f"#hoi-dap-{answered.pk}" in found and "Trần Văn Bình" not in found


def test_staff_may_confirm_a_false_alarm(staff_client, answered):
    answer = "Mời liên hệ tổng đài 0236 3822 111 của Sở trong giờ hành chính."
    response = change(
        staff_client,
        answered,
        is_public="on",
        public_answer=answer,
        public_question="Hồ sơ gồm gì?",
    )
    assert "số điện thoại “0236 3822 111”" in text_of(response)
    response = change(
        staff_client,
        answered,
        is_public="on",
        public_answer=answer,
        public_question="Hồ sơ gồm gì?",
        public_checked="on",
    )
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.is_public


def test_the_bulk_action_publishes_clean_items_and_names_the_others(staff_client):
    clean = make_feedback(
        name="Lê Thị Hoa",
        status=Feedback.Status.ANSWERED,
        answer="Sở xin trả lời: có hỗ trợ.",
        content="Có hỗ trợ không?",
    )
    named = make_feedback(
        name="Phạm Minh Đức",
        status=Feedback.Status.ANSWERED,
        answer="Gửi anh Đức: có hỗ trợ.",
        content="Hỏi về hỗ trợ.",
    )
    response = staff_client.post(
        reverse("admin:feedback_feedback_changelist"),
        {"action": "publish", "_selected_action": [clean.pk, named.pk]},
        follow=True,
    )
    page = text_of(response)
    assert "Đã công khai 1 câu hỏi." in page
    assert f"Chưa công khai {named.code}" in page
    clean.refresh_from_db()
    named.refresh_from_db()
    assert clean.is_public and clean.public_answer == clean.answer
    assert not named.is_public


@pytest.mark.parametrize(
    "text, found",
    [
        ("Chào ông TRAN VAN BINH.", "họ tên người gửi"),
        ("Kính gửi bà Bình,", "họ tên người gửi"),
        ("Liên hệ binh.tran@example.vn", "e-mail người gửi"),
        ("Số của bạn +84 912 345 678 đã ghi nhận", "số điện thoại người gửi"),
        ("Gửi về hopthu@sokhcn.gov.vn", "địa chỉ e-mail"),
    ],
)
def test_what_counts_as_personal_data(text, found):
    findings = personal_data(
        {"câu trả lời": text}, name="Trần Văn Bình", email="binh.tran@example.vn", phone="0912345678"
    )
    assert [f.what for f in findings][:1] == [found]


def test_numbers_of_laws_and_dates_are_not_phone_numbers():
    text = "Theo Luật Khoa học và Công nghệ số 29/2013/QH13 ngày 18/6/2013 và Quyết định 1234/QĐ-UBND."
    assert personal_data({"câu trả lời": text}, name="Lê Văn Tám") == []

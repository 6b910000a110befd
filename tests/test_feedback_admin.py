"""Staff review feedback in the admin: who may see it, the list, answering, bulk actions, CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from feedback.export import BOM, safe_cell
from feedback.models import Feedback

from .test_feedback_support import answered, make_feedback, staff_user, text_of

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/feedback/feedback/"
EXPORT_URL = "/admin/feedback/feedback/xuat-csv/"


def change_url(item):
    return f"{LIST_URL}{item.pk}/change/"


@pytest.fixture
def receiver(django_user_model):
    return staff_user(django_user_model, first_name="Hoa", last_name="Lê")


@pytest.fixture
def staff_client(client, receiver):
    client.force_login(receiver)
    return client


def answer_form(**overrides):
    data = {
        "status": Feedback.Status.NEW,
        "answer": "",
        "answered_unit": "",
        "is_public": "",
        "public_question": "",
        "staff_note": "",
        "_save": "Lưu",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not False}


# --- Who may see feedback --------------------------------------------------------------------------


def test_editors_cannot_see_feedback(client, editor, publisher):
    make_feedback()
    for user in (editor, publisher):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == 403
        assert client.get(EXPORT_URL).status_code == 403
        assert "Góp ý, câu hỏi" not in text_of(client.get("/admin/"))


def test_group_members_and_superusers_see_feedback(client, receiver, admin_user):
    item = make_feedback()
    for user in (receiver, admin_user):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == 200
        assert client.get(change_url(item)).status_code == 200
    client.force_login(receiver)
    assert "Góp ý, câu hỏi" in text_of(client.get("/admin/"))


def test_nobody_adds_feedback_in_the_admin(staff_client):
    assert staff_client.get(f"{LIST_URL}add/").status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(LIST_URL).status_code == 302


# --- The list --------------------------------------------------------------------------------------


def test_list_shows_status_article_age_and_overdue(staff_client, article, settings):
    settings.FEEDBACK_OVERDUE_DAYS = 7
    old = make_feedback(title="Câu hỏi cũ chưa trả lời", article=article)
    Feedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    make_feedback(title="Câu hỏi mới <script>alert(1)</script>", status=Feedback.Status.IN_PROGRESS)
    html = text_of(staff_client.get(LIST_URL))
    assert "Câu hỏi cũ chưa trả lời" in html and old.code in html
    assert escape("Câu hỏi mới <script>alert(1)</script>") in html and "<script>alert(1)" not in html
    assert 'class="fb-badge fb-badge-new">Mới<' in html
    assert 'class="fb-badge fb-badge-in_progress">Đang xử lý<' in html
    assert escape(article.title) in html
    assert ">8 ngày<" in html  # age
    assert html.count('class="fb-badge fb-badge-overdue"') == 1  # only the 8-day-old open item
    assert "Xuất CSV danh sách đang lọc" in html


def test_overdue_filter(staff_client):
    late = make_feedback(title="Quá hạn rồi")
    done = answered(title="Cũ nhưng đã trả lời")
    make_feedback(title="Vừa mới gửi")
    Feedback.objects.filter(pk__in=[late.pk, done.pk]).update(created_at=timezone.now() - timedelta(days=30))
    html = text_of(staff_client.get(f"{LIST_URL}?qua_han=1"))
    assert "Quá hạn rồi" in html and "Cũ nhưng đã trả lời" not in html and "Vừa mới gửi" not in html
    html = text_of(staff_client.get(f"{LIST_URL}?qua_han=0"))
    assert "Quá hạn rồi" not in html and "Cũ nhưng đã trả lời" in html and "Vừa mới gửi" in html


def test_status_filter_and_search(staff_client):
    make_feedback(title="Hỏi về đề tài", content="Đề tài cấp tỉnh nộp hồ sơ khi nào?", status=Feedback.Status.SPAM)
    target = make_feedback(title="Hỏi về nhãn hiệu", email="lan@example.vn")
    html = text_of(staff_client.get(f"{LIST_URL}?status__exact=new"))
    assert "Hỏi về nhãn hiệu" in html and "Hỏi về đề tài" not in html
    for query in (target.code, "lan@example.vn", "nhãn hiệu"):
        html = text_of(staff_client.get(LIST_URL, {"q": query}))
        assert "Hỏi về nhãn hiệu" in html and "Hỏi về đề tài" not in html


def test_list_queries_do_not_grow_with_rows(staff_client, article, django_assert_max_num_queries):
    for number in range(40):
        make_feedback(title=f"Góp ý {number}", article=article if number % 2 else None)
    with django_assert_max_num_queries(12):
        assert staff_client.get(LIST_URL).status_code == 200


# --- Answering -------------------------------------------------------------------------------------


def test_change_page_shows_citizen_text_read_only_and_escaped(staff_client):
    item = make_feedback(
        name="Ngô <b>Bảo</b>", title="Tiêu đề <i>nghiêng</i>", content="Dòng 1\n<script>alert(1)</script>"
    )
    html = text_of(staff_client.get(change_url(item)))
    assert escape("<script>alert(1)</script>") in html and "<script>alert(1)" not in html
    assert "Dòng 1<br>" in html
    assert escape("Ngô <b>Bảo</b>") in html
    for field in ("name", "email", "phone", "title", "content"):
        assert f'name="{field}"' not in html
    assert 'name="answer"' in html and 'name="is_public"' in html and 'name="status"' in html


def test_saving_an_answer_answers_stamps_and_emails(staff_client, receiver, deliver_mail):
    item = make_feedback(email="dan@example.vn")
    response = staff_client.post(
        change_url(item),
        answer_form(answer="Sở trả lời: hồ sơ gồm <đơn> và thuyết minh.", answered_unit="Phòng QLKH", is_public="on"),
    )
    assert response.status_code == 302, text_of(response)
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED and item.is_public
    assert item.answered_by == receiver and item.answered_at is not None
    (message,) = deliver_mail()
    assert message.to == ["dan@example.vn"] and item.code in message.subject
    assert "Sở trả lời: hồ sơ gồm <đơn> và thuyết minh." in message.body
    assert "Phòng QLKH" in message.body
    assert "&lt;đơn&gt;" in message.alternatives[0][0]
    assert "/hoi-dap/#hoi-dap-" in message.body  # it was published


def test_answer_without_citizen_email_sends_nothing(staff_client, deliver_mail):
    item = make_feedback(email="")
    staff_client.post(change_url(item), answer_form(answer="Trả lời."))
    item.refresh_from_db()
    assert item.status == Feedback.Status.ANSWERED
    assert deliver_mail() == []


def test_rejection_with_reasons_stays_rejected(staff_client, deliver_mail):
    item = make_feedback(email="dan@example.vn")
    staff_client.post(
        change_url(item), answer_form(status="rejected", answer="Nội dung không thuộc thẩm quyền của Sở.")
    )
    item.refresh_from_db()
    assert item.status == Feedback.Status.REJECTED
    assert len(deliver_mail()) == 1


def test_saving_without_changing_the_answer_sends_no_new_email(staff_client, deliver_mail):
    item = answered(email="dan@example.vn")
    stamped = item.answered_at
    staff_client.post(
        change_url(item), answer_form(status="answered", answer=item.answer, staff_note="Đã gọi điện lại.")
    )
    item.refresh_from_db()
    assert item.staff_note == "Đã gọi điện lại." and item.answered_at == stamped
    assert deliver_mail() == []


def test_cannot_publish_an_unanswered_item(staff_client):
    item = make_feedback()
    response = staff_client.post(change_url(item), answer_form(is_public="on"))
    assert response.status_code == 200
    assert "Chỉ câu hỏi đã trả lời mới được công khai trên trang Hỏi đáp." in text_of(response)
    item.refresh_from_db()
    assert not item.is_public


def test_answered_status_needs_an_answer(staff_client):
    item = make_feedback()
    response = staff_client.post(change_url(item), answer_form(status="answered"))
    assert "Cần nhập nội dung trả lời trước khi chuyển sang “Đã trả lời”." in text_of(response)
    item.refresh_from_db()
    assert item.status == Feedback.Status.NEW


def test_rejecting_a_published_item_needs_unpublishing(staff_client):
    item = answered(is_public=True)
    response = staff_client.post(change_url(item), answer_form(status="rejected", answer=item.answer, is_public="on"))
    assert "Chỉ câu hỏi đã trả lời mới được công khai" in text_of(response)


# --- Bulk actions ----------------------------------------------------------------------------------


def action(client, name, items):
    return client.post(
        LIST_URL, {"action": name, "_selected_action": [item.pk for item in items], "index": 0}, follow=True
    )


def test_bulk_spam_and_reject(staff_client):
    first, second = make_feedback(), answered(is_public=True)
    html = text_of(action(staff_client, "mark_spam", [first, second]))
    assert "Đã đánh dấu 2 góp ý là spam." in html
    assert set(Feedback.objects.values_list("status", "is_public")) == {("spam", False)}
    text_of(action(staff_client, "mark_rejected", [first]))
    first.refresh_from_db()
    assert first.status == Feedback.Status.REJECTED


def test_bulk_publish_only_answered_items(staff_client):
    done, waiting = answered(), make_feedback()
    html = text_of(action(staff_client, "publish", [done, waiting]))
    assert "Đã công khai 1 câu hỏi." in html
    assert "Bỏ qua 1 góp ý chưa được trả lời" in html
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert done.is_public and not waiting.is_public
    assert "Đã thôi công khai 1 câu hỏi." in text_of(action(staff_client, "unpublish", [done, waiting]))
    done.refresh_from_db()
    assert not done.is_public


def test_bulk_in_progress(staff_client):
    item = make_feedback()
    action(staff_client, "mark_in_progress", [item])
    item.refresh_from_db()
    assert item.status == Feedback.Status.IN_PROGRESS


# --- CSV -------------------------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="gop-y-')
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith(BOM)
    return list(csv.reader(io.StringIO(raw[1:])))


def test_csv_export_of_the_filtered_list(staff_client, article):
    answered(
        title='=HYPERLINK("http://evil","bấm")',
        name="@SUM(1+1)",
        content='Nội dung có dấu phẩy, "ngoặc kép"\nvà xuống dòng <b>HTML</b>',
        answer="-2+3 là câu trả lời",
        article=article,
        phone="0912345678",
    )
    make_feedback(title="Góp ý spam", status=Feedback.Status.SPAM)
    rows = read_csv(staff_client.get(EXPORT_URL, {"status__exact": "answered"}))
    header, row = rows[0], rows[1]
    assert len(rows) == 2  # the spam item is filtered out
    assert header[:4] == ["Mã", "Gửi lúc", "Trạng thái", "Quá hạn"]
    record = dict(zip(header, row, strict=True))
    assert record["Tiêu đề"] == '\'=HYPERLINK("http://evil","bấm")'
    assert record["Họ tên"] == "'@SUM(1+1)"
    assert record["Trả lời"] == "'-2+3 là câu trả lời"
    assert record["Nội dung"] == 'Nội dung có dấu phẩy, "ngoặc kép"\nvà xuống dòng <b>HTML</b>'
    assert record["Trạng thái"] == "Đã trả lời"
    assert record["Bài viết"] == article.title
    assert record["Điện thoại"] == "0912345678"
    assert record["Đơn vị trả lời"] == "Phòng Quản lý chuyên ngành"


def test_csv_export_follows_search(staff_client):
    make_feedback(title="Về nhãn hiệu")
    make_feedback(title="Về đề tài", content="Đề tài cấp tỉnh nộp hồ sơ khi nào?")
    rows = read_csv(staff_client.get(EXPORT_URL, {"q": "nhãn hiệu"}))
    assert [row[7] for row in rows[1:]] == ["Về nhãn hiệu"]


def test_csv_action_exports_selected(staff_client):
    chosen, other = make_feedback(title="Được chọn"), make_feedback(title="Không chọn")
    response = staff_client.post(LIST_URL, {"action": "export_csv", "_selected_action": [chosen.pk], "index": 0})
    rows = read_csv(response)
    assert [row[7] for row in rows[1:]] == ["Được chọn"]
    assert other.title not in str(rows)


def test_age_label():
    from feedback.admin import age_label

    now = timezone.now()
    assert age_label(now - timedelta(days=8, hours=3), now) == "8 ngày"
    assert age_label(now - timedelta(hours=5, minutes=10), now) == "5 giờ"
    assert age_label(now - timedelta(minutes=12), now) == "12 phút"
    assert age_label(now, now) == "1 phút"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+84912", "'+84912"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("\uff1d1", "'\uff1d1"),
        ("Bình thường", "Bình thường"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected

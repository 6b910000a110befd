"""Public comment on drafts: the list with phases, the draft page, the comment form and its protections,
moderation, the report after the deadline, search, sitemap and the clean-up of personal data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultation.models import Comment, Consultation, ConsultationFile
from core.search import providers
from core.search.query import parse_query

from .test_feedback_support import solve_captcha

pytestmark = pytest.mark.django_db

LIST_URL = "/lay-y-kien/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make(title="Dự thảo Quyết định quản lý nhiệm vụ khoa học", opens=-5, closes=25, **fields):
    now = timezone.now()
    fields.setdefault("status", Consultation.Status.PUBLISHED)
    return Consultation.objects.create(
        title=title,
        summary=fields.pop("summary", "Sửa đổi quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh."),
        opens_at=now + timedelta(days=opens),
        closes_at=now + timedelta(days=closes),
        publish_at=now - timedelta(days=10),
        **fields,
    )


def comment_data(**overrides):
    data = {
        "name": "Nguyễn Văn An",
        "organisation": "Công ty TNHH Sao Việt",
        "email": "an@example.vn",
        "phone": "0912 345 678",
        "content": "Đề nghị làm rõ Điều 8 về hồ sơ đề xuất nhiệm vụ.",
        "website": "",
        **solve_captcha(),
    }
    data.update(overrides)
    return data


def test_list_shows_published_drafts_with_their_phase(client, django_assert_max_num_queries):
    make("Dự thảo đang lấy ý kiến")
    make("Dự thảo đã kết thúc", opens=-60, closes=-30)
    make("Dự thảo chưa công bố", status=Consultation.Status.DRAFT)
    client.get(LIST_URL)
    with django_assert_max_num_queries(4):
        html = client.get(LIST_URL).content.decode()
    assert "Dự thảo đang lấy ý kiến" in html and "Dự thảo đã kết thúc" in html
    assert "Dự thảo chưa công bố" not in html
    assert html.count('class="cs-phase cs-phase-dang-lay-y-kien"') == 1
    assert html.count('class="cs-phase cs-phase-da-ket-thuc"') == 1
    open_only = client.get(LIST_URL, {"trang-thai": "dang-lay-y-kien"}).content.decode()
    assert "Dự thảo đang lấy ý kiến" in open_only and "Dự thảo đã kết thúc" not in open_only
    closed_only = client.get(LIST_URL, {"trang-thai": "da-ket-thuc"}).content.decode()
    assert "Dự thảo đã kết thúc" in closed_only and "Dự thảo đang lấy ý kiến" not in closed_only
    wrong = client.get(LIST_URL, {"trang-thai": "<script>"})
    assert wrong.status_code == 200 and "Trạng thái không hợp lệ" in wrong.content.decode()


def test_draft_page_shows_files_period_and_form(client, django_assert_max_num_queries):
    consultation = make(drafting_unit="Sở Khoa học và Công nghệ")
    ConsultationFile.objects.create(
        consultation=consultation, title="Dự thảo Quyết định", file=ContentFile(PDF, name="du-thao.pdf")
    )
    for n in range(5):
        Comment.objects.create(
            consultation=consultation, name=f"Người {n}", content="Ý kiến công khai.", is_public=True
        )
    client.get(consultation.get_absolute_url())
    # The draft with its counts, its files, its public comments, a new captcha and its rate limit: fixed.
    with django_assert_max_num_queries(9):
        response = client.get(consultation.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dự thảo Quyết định" in html and "PDF" in html and "download" in html
    assert "Hạn cuối gửi ý kiến" in html and "Đang lấy ý kiến" in html and "còn 2" in html
    assert 'name="captcha_0"' in html and "Gửi ý kiến" in html
    assert "no-store" in response["Cache-Control"]


def test_unpublished_draft_is_not_found(client):
    consultation = make(status=Consultation.Status.PENDING)
    assert client.get(consultation.get_absolute_url()).status_code == 404


def test_a_citizen_comments_and_the_comment_stays_private(client):
    consultation = make()
    response = client.post(consultation.get_absolute_url(), comment_data())
    assert response.status_code == 302 and response["Location"].endswith("?da-gui=1#gop-y")
    comment = Comment.objects.get()
    assert (comment.name, comment.phone, comment.is_public) == ("Nguyễn Văn An", "0912345678", False)
    assert comment.ip_hash and "127.0.0.1" not in comment.ip_hash
    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn. Ý kiến đã được gửi" in page
    assert "Đề nghị làm rõ Điều 8" not in page  # private until staff publish it


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Vui lòng nhập họ và tên."),
        ({"content": "ngắn"}, "Cần ít nhất 10 ký tự"),
        ({"email": "khong-phai-email"}, "Địa chỉ email chưa đúng."),
        ({"phone": "12345"}, "Số điện thoại chưa đúng."),
        ({"captcha_1": "sai-ma"}, "Mã kiểm tra chưa đúng."),
        ({"website": "http://spam.example"}, "Để trống ô này"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_keeps_the_text(client, overrides, message):
    consultation = make()
    data = comment_data(**{"content": "Ý kiến của tôi về Điều 15: thời gian thẩm định quá dài.", **overrides})
    response = client.post(consultation.get_absolute_url(), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    if "content" not in overrides:
        assert "Ý kiến của tôi về Điều 15: thời gian thẩm định quá dài." in html
    assert not Comment.objects.exists()


def test_comments_are_rate_limited_in_postgresql_and_the_text_kept(client):
    consultation = make()
    for _ in range(5):
        assert client.post(consultation.get_absolute_url(), comment_data()).status_code == 302
    response = client.post(consultation.get_absolute_url(), comment_data(content="Ý kiến thứ sáu trong một giờ."))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Bạn đã gửi nhiều ý kiến trong thời gian ngắn" in html and "Ý kiến thứ sáu trong một giờ." in html
    assert Comment.objects.count() == 5


def test_no_comment_after_the_deadline(client):
    consultation = make(opens=-40, closes=-1)
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert 'name="captcha_0"' not in html and "Đã hết thời hạn lấy ý kiến" in html
    response = client.post(consultation.get_absolute_url(), comment_data())
    assert response.status_code == 409 and "thời hạn lấy ý kiến đã kết thúc" in response.content.decode()
    assert not Comment.objects.exists()


def test_moderation_publishes_selected_comments_without_contacts(client, admin_client):
    consultation = make()
    kept = Comment.objects.create(
        consultation=consultation,
        name="Trần Thị Bình",
        email="binh@example.vn",
        phone="0987654321",
        content="Ý kiến được chọn công khai.",
    )
    Comment.objects.create(consultation=consultation, name="Lê C", content="Ý kiến giữ kín.")
    response = admin_client.post(
        reverse("admin:consultation_comment_changelist"),
        {"action": "make_public", "_selected_action": [kept.pk]},
        follow=True,
    )
    assert "Đã công khai 1 ý kiến." in response.content.decode()
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "Ý kiến được chọn công khai." in html and "Trần Thị Bình" in html
    assert "Ý kiến giữ kín." not in html and "binh@example.vn" not in html and "0987654321" not in html
    assert "Ý kiến đã nhận" in html and "(1 ý kiến được công khai)" in html


def test_the_report_is_published_only_after_the_deadline(admin_client, client):
    consultation = make()
    url = reverse("admin:consultation_consultation_change", args=[consultation.pk])
    now = timezone.localtime()
    data = {
        "title": consultation.title,
        "slug": consultation.slug,
        "drafting_unit": "",
        "summary": consultation.summary,
        "opens_at_0": (now - timedelta(days=5)).strftime("%Y-%m-%d"),
        "opens_at_1": "08:00:00",
        "closes_at_0": (now + timedelta(days=25)).strftime("%Y-%m-%d"),
        "closes_at_1": "17:00:00",
        "status": "published",
        "publish_at_0": (now - timedelta(days=10)).strftime("%Y-%m-%d"),
        "publish_at_1": "08:00:00",
        "report": "Tiếp thu 2 ý kiến, giải trình 1 ý kiến.",
        "report_published": "on",
        "_wf_publish": "1",  # "Duyệt & xuất bản": the edit of a live draft reaches citizens once approved
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Chỉ công bố báo cáo sau khi hết hạn lấy ý kiến." in response.content.decode()
    # The deadline passes.
    data["opens_at_0"] = (now - timedelta(days=40)).strftime("%Y-%m-%d")
    data["closes_at_0"] = (now - timedelta(days=1)).strftime("%Y-%m-%d")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "Báo cáo tổng hợp, tiếp thu, giải trình" in html and "Tiếp thu 2 ý kiến, giải trình 1 ý kiến." in html
    assert "Đã có báo cáo tiếp thu, giải trình" in client.get(LIST_URL).content.decode()


def test_closing_before_opening_is_refused_on_the_field(admin_client):
    now = timezone.localtime()
    response = admin_client.post(
        reverse("admin:consultation_consultation_add"),
        {
            "title": "Dự thảo thử",
            "summary": "Tóm tắt dự thảo thử.",
            "opens_at_0": now.strftime("%Y-%m-%d"),
            "opens_at_1": "08:00:00",
            "closes_at_0": (now - timedelta(days=1)).strftime("%Y-%m-%d"),
            "closes_at_1": "08:00:00",
            "status": "draft",
            "publish_at_0": now.strftime("%Y-%m-%d"),
            "publish_at_1": "08:00:00",
            "files-TOTAL_FORMS": "0",
            "files-INITIAL_FORMS": "0",
            "files-MIN_NUM_FORMS": "0",
            "files-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "Thời hạn kết thúc phải sau thời điểm bắt đầu lấy ý kiến." in response.content.decode()
    assert not Consultation.objects.exists()


def test_site_search_finds_published_drafts_without_accents():
    make("Dự thảo Kế hoạch phát triển thị trường khoa học và công nghệ")
    make("Dự thảo thị trường chưa công bố", status=Consultation.Status.DRAFT)
    answer = providers.get("consultation").search(parse_query("thi truong khoa hoc"), limit=5)
    assert answer.count == 1
    assert answer.results[0].url.startswith("/lay-y-kien/du-thao-ke-hoach-phat-trien-thi-truong")


def test_sitemap_lists_published_drafts(client):
    published = make()
    hidden = make("Dự thảo nháp", status=Consultation.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert published.get_absolute_url() in xml and hidden.get_absolute_url() not in xml


def test_cleanup_forgets_contacts_after_the_retention(settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 180
    old = make("Dự thảo cũ", opens=-300, closes=-200)
    recent = make("Dự thảo mới kết thúc", opens=-40, closes=-10)
    private = Comment.objects.create(
        consultation=old,
        name="A",
        organisation="B",
        email="a@example.vn",
        phone="0912345678",
        content="Riêng tư",
        ip_hash="x" * 64,
        created_at=timezone.now() - timedelta(days=250),
    )
    public = Comment.objects.create(
        consultation=old,
        name="Công ty C",
        email="c@example.vn",
        phone="0912345679",
        content="Công khai",
        is_public=True,
        created_at=timezone.now() - timedelta(days=250),
    )
    fresh = Comment.objects.create(
        consultation=recent,
        name="D",
        email="d@example.vn",
        content="Mới",
        ip_hash="y" * 64,
        created_at=timezone.now() - timedelta(days=20),
    )
    out = StringIO()
    call_command("consultation_cleanup", stdout=out)
    private.refresh_from_db(), public.refresh_from_db(), fresh.refresh_from_db()
    assert (private.name, private.organisation, private.email, private.phone, private.ip_hash) == ("", "", "", "", "")
    assert private.content == "Riêng tư"
    assert (public.name, public.email, public.phone) == ("Công ty C", "", "")
    assert (fresh.name, fresh.email, fresh.ip_hash) == ("D", "d@example.vn", "y" * 64)
    assert "đã xoá thông tin liên hệ của 2 ý kiến" in out.getvalue()

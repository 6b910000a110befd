"""Document groups with their own pages: "Công khai ngân sách" and "Nhiệm vụ KH&CN" (documents.sections)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from documents.models import Document, DocumentType, IssuingBody, Section

pytestmark = pytest.mark.django_db


def main(response):
    """The page's own content (the sidebar may list new documents of any kind)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def make_document():
    doc_type, _ = DocumentType.objects.get_or_create(name="Quyết định", defaults={"slug": "quyet-dinh"})
    issuer, _ = IssuingBody.objects.get_or_create(name="Sở Khoa học và Công nghệ", defaults={"slug": "so-khcn"})

    def make(number, summary, issued_on, section="", is_published=True):
        return Document.objects.create(
            doc_type=doc_type,
            issuer=issuer,
            number=number,
            summary=summary,
            issued_on=issued_on,
            section=section,
            is_published=is_published,
        )

    return make


def test_budget_page_lists_only_its_published_documents_by_year(client, make_document, django_assert_max_num_queries):
    make_document("15/QĐ-SKHCN", "Công khai dự toán ngân sách năm 2026", date(2026, 1, 12), Section.BUDGET)
    make_document("12/QĐ-SKHCN", "Công khai dự toán ngân sách năm 2025", date(2025, 1, 10), Section.BUDGET)
    make_document("99/QĐ-SKHCN", "Công khai quyết toán chưa công bố", date(2026, 2, 1), Section.BUDGET, False)
    make_document("60/TB-SKHCN", "Kết quả nghiệm thu nhiệm vụ", date(2026, 5, 8), Section.TASK_RESULTS)
    make_document("01/QĐ-SKHCN", "Văn bản thường", date(2026, 3, 1))
    client.get("/cong-khai-ngan-sach/")
    with django_assert_max_num_queries(6):
        response = client.get("/cong-khai-ngan-sach/")
    html = main(response)
    assert response.status_code == 200 and "<h1" in html and "Công khai ngân sách" in html
    assert "năm 2026" in html and "năm 2025" in html
    for absent in ("chưa công bố", "Kết quả nghiệm thu", "Văn bản thường"):
        assert absent not in html
    assert html.index("năm 2026") < html.index("năm 2025")
    only_2025 = main(client.get("/cong-khai-ngan-sach/", {"nam": "2025"}))
    assert "dự toán ngân sách năm 2025" in only_2025 and "dự toán ngân sách năm 2026" not in only_2025
    wrong = client.get("/cong-khai-ngan-sach/", {"nam": "1999"})
    assert wrong.status_code == 200 and "Không có tài liệu nào năm này" in wrong.content.decode()
    assert client.get("/cong-khai-ngan-sach/", {"nam": "abc\x00"}).status_code == 200


def test_tasks_page_has_calls_and_results_with_a_group_filter(client, make_document):
    make_document("95/TB-SKHCN", "Đặt hàng nhiệm vụ khoa học năm 2027", date(2026, 3, 18), Section.TASK_CALLS)
    make_document("60/TB-SKHCN", "Kết quả nghiệm thu nhiệm vụ giống lúa", date(2026, 5, 8), Section.TASK_RESULTS)
    make_document("15/QĐ-SKHCN", "Công khai dự toán ngân sách", date(2026, 1, 12), Section.BUDGET)
    html = main(client.get("/nhiem-vu-khcn/"))
    assert "Đặt hàng nhiệm vụ khoa học năm 2027" in html and "Kết quả nghiệm thu nhiệm vụ giống lúa" in html
    assert "Công khai dự toán" not in html
    assert "Thông báo đặt hàng, tuyển chọn" in html and "Kết quả thực hiện" in html
    results = main(client.get("/nhiem-vu-khcn/", {"nhom": "nhiem-vu-ket-qua"}))
    assert "giống lúa" in results and "Đặt hàng nhiệm vụ" not in results
    wrong = client.get("/nhiem-vu-khcn/", {"nhom": "khong-co"}).content.decode()
    assert "Nhóm không hợp lệ" in wrong and "giống lúa" in wrong


def test_a_section_document_is_still_in_the_register_with_its_group_in_the_breadcrumb(client, make_document):
    document = make_document("15/QĐ-SKHCN", "Công khai dự toán ngân sách", date(2026, 1, 12), Section.BUDGET)
    assert "Công khai dự toán ngân sách" in client.get("/van-ban/").content.decode()
    html = client.get(document.get_absolute_url()).content.decode()
    assert 'href="/cong-khai-ngan-sach/"' in html


def test_demo_is_idempotent_and_fills_both_pages(client):
    call_command("load_sections_demo", stdout=StringIO())
    count = Document.objects.count()
    call_command("load_sections_demo", stdout=StringIO())
    assert Document.objects.count() == count
    assert Document.objects.filter(section=Section.BUDGET).count() >= 3
    assert Document.objects.filter(section=Section.TASK_CALLS).exists()
    assert Document.objects.filter(section=Section.TASK_RESULTS).exists()
    assert "Có 4 tài liệu" in client.get("/cong-khai-ngan-sach/").content.decode()

"""/tim-kiem/ across every kind: articles, documents, procedures, Q&A answers and the Department's pages,
with a tab per kind and its count, sections on "Tất cả", one kind with pages, and document numbers
typed as people say them ("quyet dinh 12", "12/2023/QĐ-UBND")."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from core.search import parse_query, providers
from documents.models import Document, DocumentType, Field, IssuingBody, Procedure
from feedback.models import Feedback
from pages.models import Page

from .test_feedback_support import answered

URL = reverse("news:search")


@pytest.fixture
def everything(make_article):
    """Something about "khoa học" of every kind, and the document 12/2023/QĐ-UBND among look-alikes."""
    articles = [
        make_article(f"Hội thảo khoa học số {n}", publish_at=timezone.now() - timedelta(days=n + 1)) for n in range(4)
    ]
    # An article that talks about a decision of the 12th: it must not outrank the document itself.
    make_article("Quyết định mới ngày 12 về khoa học", body="<p>Quyết định ban hành ngày 12.</p>")
    issuer = IssuingBody.objects.create(name="Ủy ban nhân dân tỉnh")
    decision = DocumentType.objects.get(name="Quyết định")
    seed = Document.objects.create(
        doc_type=decision,
        number="12/2023/QĐ-UBND",
        issuer=issuer,
        summary="Ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh",
        issued_on=date(2023, 3, 15),
        is_published=True,
    )
    for number, summary in [
        ("112/2023/QĐ-UBND", "Quy chế quản lý khoa học"),
        ("25/2023/QĐ-UBND", "Sửa đổi ngày 12 tháng 5 quy định khoa học"),
        ("05/2024/QĐ-UBND", "Khoa học và công nghệ cơ sở"),
    ]:
        Document.objects.create(
            doc_type=decision, number=number, issuer=issuer, summary=summary, issued_on=date(2024, 1, 1),
            is_published=True,
        )  # fmt: skip
    field = Field.objects.create(name="Hoạt động khoa học và công nghệ")
    Procedure.objects.create(
        code="1.004495",
        name="Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        field=field,
        url="https://dichvucong.gov.vn/p/1.004495",
    )
    qa = answered(
        title="Hỏi về đề tài khoa học cấp tỉnh",
        content="Cách đăng ký đề tài?",
        answer="Đề tài khoa học cấp tỉnh đăng ký theo Quyết định 12/2023/QĐ-UBND.",
        is_public=True,
    )
    answered(title="Khoa học riêng tư", answer="Trả lời khoa học riêng.", is_public=False)
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    page.summary = "Sở Khoa học và Công nghệ là cơ quan chuyên môn."
    page.save()
    return {"articles": articles, "document": seed, "qa": qa}


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response, response.content.decode()


def tab_labels(response):
    return {str(tab.label or "Tất cả"): (tab.count, tab.active) for tab in response.context["tabs"]}


def test_qa_provider_is_registered_between_procedures_and_pages():
    names = ["news", "documents", "procedures", "consultation", "qa", "pages"]
    assert [p.name for p in providers.providers()] == names
    slugs = ["tin-bai", "van-ban", "thu-tuc", "lay-y-kien", "hoi-dap", "gioi-thieu"]
    assert [p.slug for p in providers.providers()] == slugs
    assert str(providers.get("qa").label) == "Hỏi đáp"


def test_qa_provider_finds_only_published_answers(everything, django_assert_max_num_queries):
    """Accent-insensitive, the answer's words highlighted, the private question never found."""
    with django_assert_max_num_queries(2):
        answer = providers.get("qa").search(parse_query("DE TAI khoa hoc"), limit=5)
    assert answer.count == 1
    (result,) = answer.results
    assert result.kind == "Hỏi đáp"
    assert result.title == "Hỏi về đề tài khoa học cấp tỉnh"
    assert result.url.startswith("/hoi-dap/?q=DE+TAI+khoa+hoc#hoi-dap-")
    assert "<mark>" in result.snippet
    assert providers.get("qa").search(parse_query("rieng tu"), limit=5).count == 0


def test_qa_result_link_lands_on_the_answer(client, everything):
    (result,) = providers.get("qa").search(parse_query("de tai"), limit=5).results
    html = client.get(result.url.split("#")[0]).content.decode()
    assert f'id="{result.url.split("#")[1]}"' in html


def test_all_tab_shows_counts_sections_and_kind_labels(client, everything):
    """ "Tất cả": a tab per kind with its count, sections with the best few, each result labelled."""
    response, html = get(client, q="khoa hoc")
    tabs = tab_labels(response)
    assert tabs["Tất cả"] == (None, True)
    assert tabs["Tin bài"] == (5, False)
    assert tabs["Văn bản"] == (4, False)
    assert tabs["Thủ tục hành chính"] == (1, False)
    assert tabs["Hỏi đáp"] == (1, False)
    pages = tabs["Giới thiệu, liên hệ"][0]
    assert pages >= 1
    assert 'Tin bài <span class="tab-count">(5)</span>' in html
    sections = response.context["sections"]
    assert [p.name for p, _a in sections] == ["news", "documents", "procedures", "qa", "pages"]
    assert [len(a.results) for _p, a in sections] == [3, 3, 1, 1, min(pages, 3)]
    assert html.count('class="result-kind"') == 8 + min(pages, 3)
    assert '<span class="result-kind">Văn bản</span>' in html
    assert '<span class="result-kind">Hỏi đáp</span>' in html
    assert "Xem tất cả 5 kết quả: Tin bài" in html and "loai=tin-bai" in html
    assert f"Tìm thấy {11 + pages} kết quả" in html
    assert 'class="search-filters"' not in html  # the article filters belong to the articles' tab


@pytest.mark.parametrize(
    "text", ["quyet dinh 12", "quyết định 12", "12/2023/QĐ-UBND", "12/2023/qd-ubnd", "QD 12/2023"]
)
def test_document_number_puts_the_document_first(client, everything, text):
    """Typed in the header box, a document number lands on a page whose first result is the document."""
    response, html = get(client, q=text)
    first_section, first_answer = response.context["sections"][0]
    assert first_section.name == "documents" and first_answer.exact
    first = first_answer.results[0]
    assert first.title == "Quyết định số 12/2023/QĐ-UBND"
    assert first.url == everything["document"].get_absolute_url()
    results = html.split('class="search-result"')
    assert 'href="/van-ban/' in results[1] and "12/2023/QĐ-UBND" in unescape(results[1])
    assert '<span class="result-kind">Văn bản</span>' in results[1]


def test_documents_tab_has_the_document_first_and_pages(client, everything):
    response, html = get(client, q="quyet dinh 12", loai="van-ban")
    assert [r.title for r in response.context["results"]][0] == "Quyết định số 12/2023/QĐ-UBND"
    assert tab_labels(response)["Văn bản"][1] is True
    assert 'aria-current="page">Văn bản' in html
    assert 'name="loai" value="van-ban"' in html  # searching again stays on the tab


def test_each_kind_has_its_own_pages(client, everything, make_article):
    for n in range(12):
        make_article(f"Bản tin khoa học {n}")
    Document.objects.bulk_create(
        Document(
            doc_type=DocumentType.objects.get(name="Kế hoạch"),
            type_name="Kế hoạch",
            issuer=IssuingBody.objects.get(),
            number=f"{n}/KH-SKHCN",
            slug=f"{n}-kh-skhcn",
            summary=f"Kế hoạch khoa học số {n}",
            issued_on=date(2022, 1, 1) + timedelta(days=n),
            is_published=True,
        )
        for n in range(1, 12)
    )
    seen = []
    for number, size in ((1, 10), (2, 5)):
        response, html = get(client, q="khoa hoc", loai="van-ban", page=number)
        assert len(response.context["results"]) == size
        assert all(r.kind == "Văn bản" for r in response.context["results"])
        assert f"Trang {number} / 2" in html
        seen += [r.url for r in response.context["results"]]
    assert len(set(seen)) == 15
    assert "q=khoa+hoc&amp;loai=van-ban&amp;page=2" in get(client, q="khoa hoc", loai="van-ban")[1]
    response, _html = get(client, q="khoa hoc", loai="van-ban", page="99")
    assert response.context["page_obj"].number == 2
    response, _html = get(client, q="khoa hoc", loai="tin-bai", page="2")
    assert len(response.context["results"]) == 7  # 17 articles


@pytest.mark.parametrize(
    ("slug", "kind"),
    [("thu-tuc", "Thủ tục hành chính"), ("hoi-dap", "Hỏi đáp"), ("gioi-thieu", "Giới thiệu, liên hệ")],
)
def test_other_kinds_one_by_one(client, everything, slug, kind):
    response, html = get(client, q="khoa hoc", loai=slug)
    assert len(response.context["results"]) == 1
    assert response.context["results"][0].kind == kind
    assert f"{kind}: tìm thấy 1 kết quả" in unescape(html)


def test_articles_tab_keeps_the_filters_behind_lọc(client, everything, category):
    response, html = get(client, q="khoa hoc", loai="tin-bai")
    assert '<span class="filter-button">Lọc</span>' in html
    assert 'id="id_chuyen_muc"' in html
    assert len(response.context["results"]) == 5
    # A filter alone means articles.
    response, html = get(client, q="khoa hoc", chuyen_muc=category.slug)
    assert response.context["kind"].slug == "tin-bai"
    assert (
        "q=khoa+hoc&amp;loai=tin-bai&amp;chuyen_muc=" in html or response.context["page_obj"].paginator.num_pages == 1
    )


def test_nothing_found_anywhere_suggests_titles(client, everything):
    response, html = get(client, q="hoi thao khao hoc")
    assert response.context["sections"] == []
    assert "Không tìm thấy kết quả nào" in html
    assert "Có phải bạn muốn tìm:" in html


@pytest.mark.parametrize("loai", ["khong-co", "<script>", "x" * 500, "tin-bai\x00"])
def test_unknown_kind_gets_a_message(client, everything, loai):
    response, html = get(client, q="khoa hoc", loai=loai)
    assert "Không có loại kết quả này" in html
    assert "<script>" not in html.split("<main")[1]
    assert 'value="khoa hoc"' in html


def test_header_box_searches_everything(client, db):
    html = client.get("/").content.decode()
    assert 'action="/tim-kiem/"' in html and 'placeholder="Tìm tin, văn bản, thủ tục…"' in html


def test_search_page_is_not_in_the_page_cache(settings):
    assert "news:search" not in settings.PAGE_CACHE_VIEWS


@pytest.mark.parametrize(
    "params",
    [
        {"q": "khoa hoc"},
        {"q": "quyet dinh 12"},
        {"q": "khoa hoc", "loai": "van-ban", "page": "2"},
        {"q": "khoa hoc", "loai": "tin-bai", "chuyen_muc": "hoat-dong-cua-so", "tu_ngay": "2020-01-01"},
        {"q": "khoa hoc", "loai": "hoi-dap"},
        {"q": "khao hoc xyz"},
    ],
)
def test_query_count_is_fixed(client, everything, params, django_assert_max_num_queries):
    """One or two queries per kind whatever the input, plus the page's shared parts."""
    client.get(URL, {"q": "khoa"})  # warm the menu cache
    with django_assert_max_num_queries(12):
        assert client.get(URL, params).status_code == 200


def test_qa_search_uses_the_public_index(everything):
    assert Feedback.objects.published().filter(search_vector=parse_query("khoa hoc").query).count() == 1

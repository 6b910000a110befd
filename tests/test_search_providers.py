"""The site-wide search providers (core.search.providers): each app registers one in its AppConfig.ready(),
and each answers an accent-insensitive query with a count and a page of results that say what they are."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from consultation.models import Consultation
from core.search import QueryError, parse_query, providers
from documents.models import Document, DocumentType, Field, IssuingBody, Procedure
from pages.models import Page


@pytest.fixture
def things(make_article):
    """One findable thing per provider, and a neighbour that must not be found."""
    article = make_article(
        "Hội thảo ứng dụng khoa học và công nghệ trong nông nghiệp",
        summary="Ứng dụng tiến bộ khoa học vào sản xuất.",
        body="<p>Các đề tài <b>khoa học</b> được chuyển giao cho nông dân.</p>",
    )
    make_article("Kiểm tra đo lường xăng dầu", body="<p>Đoàn kiểm tra của tỉnh.</p>")
    issuer = IssuingBody.objects.create(name="Ủy ban nhân dân tỉnh")
    document = Document.objects.create(
        doc_type=DocumentType.objects.get(name="Quyết định"),
        number="12/2023/QĐ-UBND",
        issuer=issuer,
        summary="Ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh",
        issued_on=date(2023, 3, 15),
        is_published=True,
    )
    Document.objects.create(
        doc_type=DocumentType.objects.get(name="Kế hoạch"),
        number="45/KH-UBND",
        issuer=issuer,
        summary="Kế hoạch kiểm tra đo lường năm 2024",
        issued_on=date(2024, 1, 10),
        is_published=True,
    )
    Document.objects.create(
        doc_type=DocumentType.objects.get(name="Quyết định"),
        number="99/2023/QĐ-UBND",
        issuer=issuer,
        summary="Quyết định chưa công bố",
        issued_on=date(2023, 5, 1),
        is_published=False,
    )
    field = Field.objects.create(name="Hoạt động khoa học và công nghệ")
    procedure = Procedure.objects.create(
        code="1.004495",
        name="Thủ tục đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
        field=field,
        agency="Sở Khoa học và Công nghệ",
        url="https://dichvucong.gov.vn/p/1.004495",
    )
    Procedure.objects.create(code="2.000001", name="Cấp giấy phép bức xạ", field=field, url="https://example.com/2")
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    page.summary = "Sở Khoa học và Công nghệ là cơ quan chuyên môn của Ủy ban nhân dân tỉnh."
    page.body = "<p>Chức năng tham mưu về <strong>khoa học</strong>, công nghệ và đổi mới sáng tạo.</p>"
    page.save()
    consultation = Consultation.objects.create(
        title="Dự thảo Quy định quản lý nhiệm vụ khoa học và công nghệ",
        summary="Lấy ý kiến về hồ sơ đề xuất nhiệm vụ.",
        closes_at=timezone.now() + timedelta(days=30),
        status=Consultation.Status.PUBLISHED,
    )
    Consultation.objects.create(
        title="Dự thảo khoa học chưa công bố", summary="Bản nháp.", closes_at=timezone.now() + timedelta(days=30)
    )
    return {
        "news": article,
        "documents": document,
        "procedures": procedure,
        "pages": page,
        "consultation": consultation,
    }


def test_every_app_registers_its_provider():
    """DocumentsConfig, FeedbackConfig, NewsConfig and PagesConfig registered theirs at start-up, in order, each with a label."""
    registered = providers.providers()
    assert [provider.name for provider in registered] == [
        "news", "documents", "procedures", "consultation", "qa", "pages"
    ]  # fmt: skip
    assert [str(provider.label) for provider in registered] == [
        "Tin bài",
        "Văn bản",
        "Thủ tục hành chính",
        "Lấy ý kiến dự thảo",
        "Hỏi đáp",
        "Giới thiệu, liên hệ",
    ]
    assert all(callable(provider.search) for provider in registered)
    assert providers.get("documents") is registered[1]


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("news", "khoa hoc", "Hội thảo ứng dụng khoa học và công nghệ trong nông nghiệp"),
        ("documents", "quyet dinh", "Quyết định số 12/2023/QĐ-UBND"),
        ("procedures", "KHOA HOC cong nghe", "Thủ tục đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ"),
        ("pages", "khoa hoc", "Giới thiệu"),
        ("consultation", "khoa hoc", "Dự thảo Quy định quản lý nhiệm vụ khoa học và công nghệ"),
    ],
)
def test_each_provider_answers_an_accent_insensitive_query(things, name, text, title, django_assert_max_num_queries):
    """Typed without accents, the query finds the accented thing: a count and a page of results that
    say what they are, with title, URL, date and a highlighted snippet; nothing unpublished, few queries."""
    provider = providers.get(name)
    with django_assert_max_num_queries(2):
        answer = provider.search(parse_query(text), limit=10)
    assert answer.count == len(answer.results) == 1
    assert not answer.more
    (result,) = answer.results
    thing = things[name]
    assert result.kind == provider.label
    assert result.title == title
    assert "<mark>" in result.title_html + result.snippet
    if name == "procedures":
        assert result.url == "/thu-tuc-hanh-chinh/?q=1.004495"
        assert "1.004495" in result.snippet
    else:
        assert result.url == thing.get_absolute_url()
    assert isinstance(result.date, date | datetime)


def test_document_summary_is_the_highlighted_snippet(things):
    (result,) = providers.get("documents").search(parse_query("quyết định khoa hoc"), limit=5).results
    assert result.date == date(2023, 3, 15)
    assert "<mark>khoa</mark> <mark>học</mark>" in result.snippet
    assert result.url == things["documents"].get_absolute_url()


def test_article_result_is_escaped_and_dated(make_article):
    article = make_article('Khoa học <script>alert("x")</script> & công nghệ', body="<p>Khoa học.</p>")
    (result,) = providers.get("news").search(parse_query("khoa hoc"), limit=5).results
    assert "<script>" not in result.title_html and "&lt;script&gt;" in result.title_html
    assert result.date == article.publish_at
    assert result.url == article.get_absolute_url()


def test_paging_offset_and_limit(make_article):
    for n in range(5):
        make_article(f"Khoa học số {n}", publish_at=timezone.now() - timedelta(days=n + 1))
    search = providers.get("news").search
    first = search(parse_query("khoa hoc"), limit=2)
    second = search(parse_query("khoa hoc"), limit=2, offset=2)
    assert first.count == second.count == 5
    assert len(first.results) == len(second.results) == 2
    assert {r.url for r in first.results}.isdisjoint({r.url for r in second.results})
    assert search(parse_query("khoa hoc"), limit=2, offset=10).results == []


def test_search_all_asks_every_provider(things):
    answers = providers.search_all("khoa hoc")
    assert [provider.name for provider, _answer in answers] == [
        "news", "documents", "procedures", "consultation", "qa", "pages"
    ]  # fmt: skip
    assert all(answer.count >= 1 for provider, answer in answers if provider.name != "qa")
    nothing = providers.search_all("xyzzy")
    assert all(answer.count == 0 and answer.results == [] for _provider, answer in nothing)


@pytest.mark.parametrize("text", ["", "   ", "-khoa", "x" * 201])
def test_unsearchable_input_is_refused_once_for_all(text):
    with pytest.raises(QueryError):
        providers.search_all(text)


def test_registering_again_replaces(monkeypatch):
    monkeypatch.setattr(providers, "_providers", dict(providers._providers))

    def nothing(query, *, limit, offset=0):
        return providers.Answer(count=0)

    providers.register("pages", "Trang", nothing, order=1)
    assert [provider.name for provider in providers.providers()] == [
        "pages", "news", "documents", "procedures", "consultation", "qa"
    ]  # fmt: skip
    assert providers.get("pages").search is nothing


def test_result_escapes_plain_text():
    result = providers.Result(kind="Tin bài", title="A & <b>", url="/x/", snippet="1 < 2")
    assert result.title_html == "A &amp; &lt;b&gt;"
    assert result.snippet == "1 &lt; 2"

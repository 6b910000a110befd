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


def test_typed_diacritics_rank_first_without_a_stored_title_vector(db):
    """Documents have no stored `simple` vector of their summary: `sở` typed still ranks the summary
    spelled `sở` above a newer one spelled `số` (and `số` the other way round); unaccented input
    finds both, the newer first."""
    issuer = IssuingBody.objects.create(name="Ủy ban nhân dân tỉnh")
    kind = DocumentType.objects.get(name="Quyết định")
    number = Document.objects.create(
        doc_type=kind, number="1/QĐ-UBND", issuer=issuer, summary="Số khoa học đặc biệt của bản tin tỉnh",
        issued_on=date(2024, 6, 1), is_published=True,
    )  # fmt: skip
    department = Document.objects.create(
        doc_type=kind, number="2/QĐ-UBND", issuer=issuer, summary="Sở khoa học giao nhiệm vụ năm 2020",
        issued_on=date(2020, 6, 1), is_published=True,
    )  # fmt: skip
    search = providers.get("documents").search
    typed = search(parse_query("sở khoa học"), limit=5)
    assert [result.url for result in typed.results][0] == department.get_absolute_url()
    plain = search(parse_query("so khoa hoc"), limit=5)
    assert {result.url for result in plain.results} == {number.get_absolute_url(), department.get_absolute_url()}
    assert plain.results[0].url == number.get_absolute_url()  # both hold the phrase: the newer one first
    assert search(parse_query("số khoa học"), limit=5).results[0].url == number.get_absolute_url()


@pytest.fixture
def slow_providers(monkeypatch):
    """Three providers that each wait 0.3 s on PostgreSQL (pg_sleep), and say which language was
    active and which connection answered."""
    from django.db import connection
    from django.utils import translation

    monkeypatch.setattr(providers, "_providers", {})

    def waiting(name):
        def search(query, *, limit, offset=0):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid() FROM pg_sleep(0.3)")
                pid = cursor.fetchone()[0]
            return providers.Answer(
                count=pid, results=[providers.Result(kind=translation.get_language(), title=name, url="/")]
            )

        return search

    for order, name in enumerate(["one", "two", "three"]):
        providers.register(name, name, waiting(name), order=order)
    return providers.providers()


@pytest.mark.django_db(transaction=True)
def test_kinds_are_asked_at_once_each_on_its_own_connection(slow_providers, settings):
    """Outside a transaction the kinds wait on PostgreSQL together: three 0.3 s searches take about
    0.3 s, not 0.9 s; the answers come in the providers' order, in the reader's language."""
    import time

    from django.utils import translation

    settings.SEARCH_THREADS = 3
    with translation.override("en"):
        started = time.monotonic()
        answers = providers.ask(parse_query("khoa hoc"), [(provider, 3) for provider in slow_providers])
        took = time.monotonic() - started
    assert [answer.results[0].title for answer in answers] == ["one", "two", "three"]
    assert {answer.results[0].kind for answer in answers} == {"en"}
    assert len({answer.count for answer in answers}) == 3  # three database sessions
    assert took < 0.75, took


def test_in_a_transaction_the_kinds_are_asked_one_after_the_other(db, slow_providers, settings):
    """Inside a transaction (a test's, a view's atomic block) only this connection sees what it wrote:
    every kind is answered on it."""
    from django.db import connection

    settings.SEARCH_THREADS = 3
    assert connection.in_atomic_block
    answers = providers.ask(parse_query("khoa hoc"), [(provider, 3) for provider in slow_providers])
    assert {answer.count for answer in answers} == {connection.connection.info.backend_pid}


@pytest.mark.django_db(transaction=True)
def test_a_failing_kind_fails_the_search_and_leaves_no_connection_behind(slow_providers, settings):
    """An error in a search thread reaches the page (Django's 500 handling and logging see it); the
    thread's database session is closed, not left open."""
    import time

    from django.db import connection

    settings.SEARCH_THREADS = 3
    sessions = []

    def broken(query, *, limit, offset=0):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            sessions.append(cursor.fetchone()[0])
            cursor.execute("SELECT 1/0")
        return providers.Answer(count=0)

    failing = providers.register("broken", "broken", broken, order=9)
    with pytest.raises(Exception) as raised:
        providers.ask(parse_query("khoa hoc"), [(slow_providers[0], 3), (failing, 3)])
    assert "division by zero" in str(raised.value)
    assert len(sessions) == 1 and sessions[0] != connection.connection.info.backend_pid
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while True:  # the server notices the closed session a moment later
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", sessions)
            if cursor.fetchone()[0] == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", sessions)
        assert cursor.fetchone()[0] == 0

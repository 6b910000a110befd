"""What keeps /tim-kiem/ fast at scale (issue 18), checked for what a reader would notice: the same
results and counts from fewer round trips, the search still counted for the dashboard, and the bench's
loader of the other searched kinds (scripts/bench_kinds.py) making data the site search finds."""

import importlib.util
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from consultation.models import Consultation
from core.search import parse_query, providers
from documents.models import Document, DocumentType, IssuingBody, Procedure
from feedback.models import Feedback
from stats.models import SearchDay

from .test_feedback_support import answered

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def documents(db):
    issuer = IssuingBody.objects.create(name="Ủy ban nhân dân tỉnh")
    kind = DocumentType.objects.get(name="Quyết định")
    return [
        Document.objects.create(
            doc_type=kind,
            number=f"{n}/2024/QĐ-UBND",
            issuer=issuer,
            summary=f"Quy định quản lý nhiệm vụ khoa học và công nghệ số {n}",
            issued_on=date(2024, 1, n),
            is_published=True,
        )
        for n in range(1, 8)
    ]


@pytest.mark.parametrize("name", ["documents", "qa"])
def test_count_and_page_come_in_one_query(documents, name, django_assert_num_queries):
    """The count rides on the page's rows (a window count): one round trip, the same numbers."""
    for n in range(7):
        answered(title=f"Hỏi về nhiệm vụ khoa học {n}", answer="Nhiệm vụ khoa học đăng ký tại Sở.", is_public=True)
    search = providers.get(name).search
    query = parse_query("khoa hoc")
    with django_assert_num_queries(1):
        first = search(query, limit=3)
    assert first.count == 7 and len(first.results) == 3
    with django_assert_num_queries(1):
        last = search(query, limit=3, offset=6)
    assert last.count == 7 and len(last.results) == 1
    assert {r.url for r in first.results}.isdisjoint({r.url for r in last.results})


def test_a_page_past_the_end_still_knows_the_count(documents):
    """Asking past the last result: no results, and the count is still right (a second query)."""
    answer = providers.get("documents").search(parse_query("khoa hoc"), limit=3, offset=30)
    assert answer.results == [] and answer.count == 7
    assert providers.get("documents").search(parse_query("khoa hoc"), limit=0).count == 7
    assert providers.get("documents").search(parse_query("xyzzy"), limit=3).count == 0


def test_best_document_first_after_the_change(documents):
    """Ranking is untouched: the number typed in full puts that document first."""
    answer = providers.get("documents").search(parse_query("5/2024/QĐ-UBND"), limit=3)
    assert answer.exact
    assert answer.results[0].title == "Quyết định số 5/2024/QĐ-UBND"


@pytest.mark.django_db(transaction=True)
def test_search_is_still_counted_for_the_dashboard(client):
    """The dashboard's count is committed without waiting for the disk, but committed; the setting
    lasts for that transaction only."""
    client.get(reverse("news:search"), {"q": "Khoa học"})
    client.get(reverse("news:search"), {"q": "khoa   học"})
    client.get(reverse("news:search"), {"q": "xyzzy"})
    rows = {row.query: (row.searches, row.empty) for row in SearchDay.objects.all()}
    assert rows == {"khoa học": (2, 2), "xyzzy": (1, 1)}
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def load_bench_kinds():
    spec = importlib.util.spec_from_file_location("bench_kinds", BASE_DIR / "scripts" / "bench_kinds.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_loader_fills_every_searched_kind(client, db, settings, tmp_path):
    """The bench's loader: documents with file records, procedures, public and private Q&A, drafts, the
    pages; Vietnamese text the site search finds with or without diacritics; run twice, nothing doubles."""
    settings.MEDIA_ROOT = tmp_path
    bench_kinds = load_bench_kinds()
    sizes = {"documents": 40, "procedures": 6, "questions": 20, "private_questions": 10, "consultations": 4}
    added = bench_kinds.load(**sizes)
    assert added == {"documents": 40, "procedures": 6, "questions": 30, "consultations": 4}
    assert bench_kinds.load(**sizes) == {"documents": 0, "procedures": 0, "questions": 0, "consultations": 0}
    generated = Document.objects.filter(slug__startswith="bench-vb-")
    assert generated.count() == 40 and all(d.files.exists() for d in generated[:5])
    assert Procedure.objects.filter(code__startswith="9.").count() == 6
    bench_qa = Feedback.objects.filter(ip_hash=bench_kinds.MARKER)
    assert bench_qa.filter(is_public=True).count() == 20 and bench_qa.filter(is_public=False).count() == 10
    assert Consultation.objects.published().filter(slug__startswith="bench-ldt-").count() == 4

    response = client.get(reverse("news:search"), {"q": "15/2024/tt-bkhcn"})
    assert response.status_code == 200
    sections = response.context["sections"]
    assert str(sections[0][0].label) == "Văn bản"  # the number typed: that document first
    assert sections[0][1].results[0].title == "Thông tư số 15/2024/TT-BKHCN"
    tabs = {str(tab.label): tab.count for tab in response.context["tabs"] if tab.label}
    assert tabs["Hỏi đáp"] > 0  # the answers cite it
    assert "Không tìm thấy" not in response.content.decode()

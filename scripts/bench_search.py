"""Search latency benchmark: p50 / p95 of /tim-kiem/ for typical queries, as a table.

    DEBUG=1 DATABASE_URL=postgres://…/portal_big python scripts/bench_search.py [--runs 30] [--json]

Load data first (`manage.py load_demo --articles 100000`, and the other kinds: `scripts/bench_kinds.py`,
which `make bench` runs; the table's header says how many of each). `page` is the site-wide
"Tất cả" page: every kind's provider answers (core.search.providers). Two timings per query:
`search` is every provider's answer from Python as the "Tất cả" page asks for it (count, three
ranked results with snippets, the kinds asked at once: core.search.providers.ask; suggestions when
nothing matched); `page` is the whole request through
Django's test client (middleware, form, template); `db` is PostgreSQL's own execution time for the
search's queries asked one after the other (EXPLAIN ANALYZE, best of 5, summed), which other load on the
machine disturbs least. Each query is run
once to warm up, then --runs times. Exit status 1 when a page p95 is over --budget
milliseconds (default 50), so `make bench` can fail on regressions.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

QUERIES = [
    # (kind of query, what a citizen types): the kinds docs/performance.md reports separately
    ("common word", "khoa"),
    ("common words", "khoa học"),
    ("common, no diacritics", "khoa hoc cong nghe"),
    ("several words", "công nghệ"),
    ("words + year", "khoa hoc cong nghe 2023"),
    ("diacritics", "sở khoa học"),
    ("capitals", "SO KHOA HOC"),
    ("phrase", '"trien khai nhiem vu"'),
    ("phrase", '"đổi mới sáng tạo"'),
    ("exclusion", "doanh nghiep -xang"),
    ("name", "dong chi nguyen trung thao"),
    ("rarer words", "kiểm định phương tiện đo"),
    ("rarer words", "bảo hộ sở hữu trí tuệ"),
    ("rare word", "X-quang"),
    ("rare word, no diacritics", "nhan hieu"),
    ("typo (suggestions)", "khao hoc cong nghe"),
    # legal document numbers as citizens type them (the documents' provider)
    ("document number", "15/2024/TT-BKHCN"),
    ("document number", "12/2023/QĐ-UBND"),
    ("number as said", "quyet dinh 12"),
]


def percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--budget", type=float, default=50.0, help="p95 budget in ms for the page timing")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("queries", nargs="*", help="queries to time instead of the built-in list")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from consultation.models import Consultation
    from core.search import parse_query, providers, title_suggestions
    from documents.models import Document, Procedure
    from feedback.models import Feedback
    from news.models import Article
    from news.search.engine import ArticleSearch
    from news.search.views import SECTION_SIZE
    from pages.models import Page

    host = "testserver" if settings.DEBUG or "testserver" in settings.ALLOWED_HOSTS else settings.ALLOWED_HOSTS[0]
    client = Client(HTTP_HOST=host)

    def run_search(text):
        query = parse_query(text)
        answers = providers.ask(query, [(provider, SECTION_SIZE) for provider in providers.providers()])
        if not any(answer.results for answer in answers):
            title_suggestions(ArticleSearch(text).base(), text)
        return answers

    def run_page(text):
        response = client.get("/tim-kiem/", {"q": text})
        assert response.status_code == 200, response.status_code
        return response

    def db_time(text):
        with CaptureQueriesContext(connection) as captured, override_settings(SEARCH_THREADS=0):
            run_search(text)  # one after the other on this connection, so every query is captured
        best = float("inf")
        for _ in range(5):
            total = 0.0
            with connection.cursor() as cursor:
                for query in captured.captured_queries:
                    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                    total += cursor.fetchone()[0][0]["Execution Time"]
            best = min(best, total)
        return best

    rows = []
    for kind, text in [("", q) for q in args.queries] or QUERIES:
        answers = run_search(text)
        run_page(text)
        db_ms = db_time(text)
        timings = {"search": [], "page": []}
        for _ in range(args.runs):
            start = time.perf_counter()
            run_search(text)
            timings["search"].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            run_page(text)
            timings["page"].append((time.perf_counter() - start) * 1000)
        rows.append(
            {
                "kind": kind,
                "query": text,
                "matches": "/".join(f"{answer.count}{'+' if answer.more else ''}" for answer in answers),
                "db_min": db_ms,
                **{f"{kind}_p50": statistics.median(values) for kind, values in timings.items()},
                **{f"{kind}_p95": percentile(values, 0.95) for kind, values in timings.items()},
            }
        )

    total = Article.objects.count()
    others = {
        "documents": Document.objects.count(),
        "procedures": Procedure.objects.count(),
        "qa": Feedback.objects.published().count(),
        "consultations": Consultation.objects.published().count(),
        "pages": Page.objects.count(),
    }
    connection.close()
    if args.json:
        print(
            json.dumps(
                {"articles": total, **others, "runs": args.runs, "load": os.getloadavg(), "rows": rows},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        loaded = ", ".join(f"{count:,} {name}" for name, count in others.items())
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"Search benchmark: {total:,} articles ({loaded}), {args.runs} runs per query (ms); load average {load}")
        order = "/".join(provider.name for provider in providers.providers())
        print(f"matches: {order}")
        kinds = max(len(row["kind"]) for row in rows)
        width = max(len(row["query"]) for row in rows)
        matched = max(len(row["matches"]) for row in rows)
        print(
            f"{'kind':<{kinds}}  {'query':<{width}}  {'matches':>{matched}}  {'db min':>6}  {'search p50':>10}  {'search p95':>10}"
            f"  {'page p50':>8}  {'page p95':>8}"
        )
        for row in rows:
            print(
                f"{row['kind']:<{kinds}}  {row['query']:<{width}}  {row['matches']:>{matched}}  {row['db_min']:>6.1f}  {row['search_p50']:>10.1f}"
                f"  {row['search_p95']:>10.1f}  {row['page_p50']:>8.1f}  {row['page_p95']:>8.1f}"
            )
        everything = [row["page_p95"] for row in rows]
        print(f"worst page p95: {max(everything):.1f} ms (budget {args.budget:.0f} ms)")
    return 1 if any(row["page_p95"] > args.budget for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

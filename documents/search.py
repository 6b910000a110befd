"""Searching the legal documents register: by number and symbol, or by the words of the summary.

The Vietnamese search primitives of core.search: `SearchBoxField` checks the box,
`search_query()` turns the reader's words into an accent-insensitive websearch query on the
stored `search_vector`, `relevance()` ranks, `headline()` + `mark_highlights()` highlight.

Numbers need more: PostgreSQL's parser reads `12/2023/QĐ-UBND` as one file-path token and
does not fold its Đ, so `12/2023/qd-ubnd` would never match it. Every number is therefore also
kept folded as `number_key` (`12-2023-qd-ubnd`, documents.models.NumberKey), and the reader's
input is folded the same way (`number_key()` below):

- the whole input as a number: `12/2023/qd-ubnd`, `12/2023/QĐ-UBND`, `QĐ-UBND`, `12/2023`
  (a substring match: trigram index; exact and leading matches rank first);
- or, in mixed input such as `quyết định 12/2023`, each token with a "/" must be part of the
  number and the other words must match the full text.
- a reader who names a document as people say it, `quyết định 12` or `quyet dinh 12/2023`, gets the
  documents whose number begins with what they typed (`12-…`) first: a token starting with a digit
  is a "leading number" (`lead_keys`), ranked like a number typed in full. Such a first result makes
  the site-wide answer `exact`, so /tim-kiem/ shows the documents first.

Documents and procedures are also providers of the site-wide search (core.search.providers),
registered by DocumentsConfig.ready(): `answer_documents()`, `answer_procedures()`.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery
from django.db.models import BooleanField, Case, F, FloatField, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import (
    fold_text,
    has_terms,
    headline,
    mark_highlights,
    normalize_query,
    providers,
    relevance,
    search_query,
)

from .models import Document, Procedure

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
EXACT_RANK = 2  # number_rank from which the first document is what the reader named


def number_key(text: str) -> str:
    """Python twin of NumberKey: `12/2023/QĐ-UBND` → `12-2023-qd-ubnd`."""
    return _NOT_ALNUM.sub("-", fold_text(normalize_query(text))).strip("-")


def _is_number_token(token: str) -> bool:
    return "/" in token and bool(number_key(token))


@dataclass
class DocumentSearch:
    text: str
    key: str = field(init=False)
    number_parts: list = field(init=False)
    lead_keys: list = field(init=False)
    words: str = field(init=False)
    query: SearchQuery | None = field(init=False)

    def __post_init__(self):
        self.text = normalize_query(self.text)
        self.key = number_key(self.text)
        tokens = self.text.split()
        self.number_parts = [number_key(token) for token in tokens if _is_number_token(token)]
        self.lead_keys = [key for key in (number_key(token) for token in tokens if token[:1].isdigit()) if key][:3]
        self.words = " ".join(token for token in tokens if not _is_number_token(token))
        self.query = search_query(self.words) if has_terms(self.words) else None

    def condition(self):
        whole = Q(number_key__contains=self.key) if self.key else Q(pk__in=[])
        if not self.number_parts and self.query is None:
            return whole
        parts = Q()
        for part in self.number_parts:
            parts &= Q(number_key__contains=part)
        if self.query is not None:
            parts &= Q(search_vector=self.query)
        return whole | parts

    def apply(self, documents):
        """Matching documents, best first, with `number_hit` and (for word searches) `summary_marked`."""
        number_hit = Q(number_key__contains=self.key) if self.key else Q(pk__in=[])
        for part in self.number_parts:
            number_hit |= Q(number_key__contains=part)
        whens = []
        if self.key:
            whens += [When(number_key=self.key, then=Value(3)), When(number_key__startswith=self.key, then=Value(2))]
        for lead in self.lead_keys:
            # `quyet dinh 12`: the number begins with the 12 typed (the other words matched the text).
            whens += [When(Q(number_key=lead) | Q(number_key__startswith=f"{lead}-"), then=Value(EXACT_RANK))]
        if self.key:
            whens.append(When(number_key__contains=self.key, then=Value(1)))
        annotations = {
            "number_rank": Case(*whens, default=Value(0), output_field=IntegerField())
            if whens
            else Value(0, output_field=IntegerField()),
            "number_hit": Case(When(number_hit, then=Value(True)), default=Value(False), output_field=BooleanField()),
        }
        if self.query is not None:
            annotations["score"] = relevance(
                self.query, self.words, title_weight="A", title="summary", date_field="issued_on"
            )
            annotations["summary_marked"] = headline(F("summary"), self.query, whole=True)
        else:
            annotations["score"] = Value(0.0, output_field=FloatField())
        return (
            documents.filter(self.condition())
            .annotate(**annotations)
            .order_by("-number_rank", "-score", "-issued_on", "-id")
        )

    @staticmethod
    def highlight(documents):
        """Give each fetched result a safe `summary_html` (highlighted when the words matched)."""
        for document in documents:
            marked = getattr(document, "summary_marked", None)
            document.summary_html = mark_highlights(marked) if marked else None
        return documents


def search_procedures(procedures, text):
    """Procedures whose name, code or agency match `text` (accents or not); a code matches in part too."""
    text = normalize_query(text)
    condition = Q(code__icontains=text)
    if has_terms(text):
        condition |= Q(search_vector=search_query(text))
    return procedures.filter(condition)


# The site-wide search (core.search.providers) ----------------------------------------------------

DOCUMENTS = _("Văn bản")
PROCEDURES = _("Thủ tục hành chính")


def answer_documents(query, *, limit, offset=0):
    """Published documents for the site-wide search, ranked as on /van-ban/ (a count and a page: one query)."""
    # Only what a result shows: every matching row passes through the ranking (2,000 for "công nghệ").
    shown = Document.objects.published().only("id", "slug", "number", "type_name", "issued_on", "summary")
    documents = DocumentSearch(query.text).apply(shown)
    count, page = providers.counted_page(documents, limit=limit, offset=offset)
    page = DocumentSearch.highlight(page)
    results = [
        providers.Result(
            kind=DOCUMENTS,
            title=str(document.title),
            url=document.get_absolute_url(),
            date=document.issued_on,
            snippet=document.summary_html or document.summary,
        )
        for document in page
    ]
    exact = offset == 0 and bool(page) and page[0].number_rank >= EXACT_RANK
    return providers.Answer(count=count, results=results, exact=exact)


def answer_procedures(query, *, limit, offset=0):
    """Published procedures for the site-wide search: each links to its entry on /thu-tuc-hanh-chinh/."""
    procedures = search_procedures(
        Procedure.objects.published().select_related("field").defer("search_vector"), query.text
    )
    ranked = procedures.annotate(
        score=relevance(query.query, query.text, title="name", date_field=None),
        name_marked=headline(F("name"), query.query, whole=True),
    ).order_by("-score", "code")
    count, page = providers.counted_page(ranked if limit else procedures, limit=limit, offset=offset)
    list_url = reverse("documents:procedures")
    results = [
        providers.Result(
            kind=PROCEDURES,
            title=procedure.name,
            title_html=mark_highlights(procedure.name_marked),
            url=f"{list_url}?{urlencode({'q': procedure.code})}",
            date=procedure.updated_at,
            snippet=" · ".join(part for part in (procedure.code, procedure.field.name, procedure.agency) if part),
        )
        for procedure in page
    ]
    return providers.Answer(count=count, results=results)


def register_providers():
    providers.register("documents", DOCUMENTS, answer_documents, order=20, slug="van-ban")
    providers.register("procedures", PROCEDURES, answer_procedures, order=30, slug="thu-tuc")

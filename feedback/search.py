"""Published questions and their answers in the site-wide search (core.search.providers).

The same rows and the same matching as /hoi-dap/ (`Feedback.objects.published()`, the stored
`search_vector`: the public title A, the question as published B, the public answer C, with a GIN index on public
rows). A result links to /hoi-dap/ searched for the same words, at the question's anchor.
"""

from urllib.parse import urlencode

from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import headline, mark_highlights, providers, relevance

from .models import Feedback

LABEL = _("Hỏi đáp")


def answer(query, *, limit, offset=0):
    """Published questions matching the query, best first (a count and a page: one query)."""
    found = Feedback.objects.published().filter(search_vector=query.query)
    if not limit:
        return providers.Answer(count=found.count())
    ranked = (
        found.only("id", "title", "public_title", "answered_at")
        .annotate(
            score=relevance(query.query, query.text, date_field="answered_at"),
            title_marked=headline(Coalesce(NullIf("public_title", Value("")), "title"), query.query, whole=True),
            answer_marked=headline(F("public_answer"), query.query),
        )
        .order_by("-score", "-answered_at", "-id")
    )
    count, page = providers.counted_page(ranked, limit=limit, offset=offset)
    qa_url = f"{reverse('feedback:qa')}?{urlencode({'q': query.text})}"
    results = [
        providers.Result(
            kind=LABEL,
            title=item.shown_title,
            title_html=mark_highlights(item.title_marked),
            url=f"{qa_url}#hoi-dap-{item.pk}",
            date=item.answered_at,
            snippet=mark_highlights(item.answer_marked),
        )
        for item in page
    ]
    return providers.Answer(count=count, results=results)


def register_provider():
    providers.register("qa", LABEL, answer, order=35, slug="hoi-dap")

"""The articles' cards on the admin home (core/admincards.py): what waits for a publisher, what an editor left
as a draft. Each count is exactly what its link lists."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import admincards
from core.workflow import cards as workflow_cards

from .models import Article


def _changelist(**params):
    return reverse("admin:news_article_changelist") + "?" + urlencode(params)


def register():
    # What waits for review, of every reviewed kind (articles first), new items and working copies alike.
    workflow_cards.register("news-pending", _("Bài chờ duyệt"), order=10)
    admincards.register(
        "news-my-drafts",
        _("Bài của tôi đang nháp"),
        admincards.Figure(
            _("bản nháp của tôi"),
            lambda request: Article.objects.filter(status=Article.Status.DRAFT, created_by=request.user).count(),
            lambda request: _changelist(status__exact=Article.Status.DRAFT, created_by__id__exact=request.user.pk),
        ),
        permission="news.add_article",
        order=20,
    )

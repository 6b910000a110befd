"""The "Bài chờ duyệt" card of the admin home (core/admincards.py): for each reviewed kind the person may
publish, how many wait for review, new items and working copies of live ones alike; each figure's link
lists exactly those (the list's "Chờ duyệt" filter, core.workflow.admin.PendingFilter)."""

from django.db.models import Count, IntegerField, Value
from django.urls import NoReverseMatch, reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import admincards

from . import kinds, service

_card = {}  # the card's name, title and order, given once at start-up by the app that shows it


def pending_counts(request):
    """{model: how many wait} for every kind the user may publish, in one query (a UNION ALL of one count per
    kind), kept on the request: the card's figures share it, so the admin home's queries stay fixed."""
    counts = getattr(request, "_workflow_pending_counts", None)
    if counts is None:
        registered = kinds.registered()
        parts = [
            service.pending_queryset(model)
            .order_by()
            .annotate(workflow_kind=Value(index, output_field=IntegerField()))
            .values("workflow_kind")
            .annotate(n=Count("pk"))
            .values_list("workflow_kind", "n")
            for index, (model, kind) in enumerate(registered)
            if request.user.has_perm(kind.publish_permission)
        ]
        rows = list(parts[0].union(*parts[1:], all=True)) if parts else []
        counts = {registered[index][0]: n for index, n in rows}
        request._workflow_pending_counts = counts
    return counts


def _figure(model, kind):
    def count(request):
        return pending_counts(request).get(model, 0)

    def url(request):
        try:
            return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + "?cho_duyet=1"
        except NoReverseMatch:
            return ""

    return admincards.Figure(format_lazy(_("{noun} chờ duyệt"), noun=kind.noun), count, url)


def register(name, title, order=10):
    """Show the card under `name` (re-made whenever a kind is registered later)."""
    _card.update(name=name, title=title, order=order)
    kinds.on_register(refresh)
    refresh()


def refresh():
    if not _card:
        return
    figures = [_figure(model, kind) for model, kind in kinds.registered()]
    if not figures:
        return
    admincards.register(
        _card["name"],
        _card["title"],
        figures,
        permission=lambda user: any(user.has_perm(kind.publish_permission) for _m, kind in kinds.registered()),
        order=_card["order"],
    )

"""The current week's calendar on the home page (core.blocks, place "home")."""

from datetime import timedelta

from django.utils import timezone

from .forms import week_param
from .models import Entry, week_start

HOME_LIMIT = 6


def home_week(where):
    """What is left of this week, from today on (at most HOME_LIMIT entries; one query); none: no block."""
    today = timezone.localdate()
    monday = week_start(today)
    entries = list(Entry.objects.published().between(today, monday + timedelta(days=6)).in_order()[: HOME_LIMIT + 1])
    if not entries:
        return None
    return {
        "entries": entries[:HOME_LIMIT],
        "more": len(entries) > HOME_LIMIT,
        "today": today,
        "week": week_param(monday),
    }


def register():
    from django.utils.translation import gettext_lazy as _

    from core import blocks, links

    blocks.page_type("agenda:week", "agenda")
    blocks.register(
        "agenda-week",
        _("Lịch công tác tuần này"),
        places=blocks.HOME,
        pages="home",
        order=25,
        template="agenda/_home_block.html",
        context=home_week,
        cache_seconds=3600,  # "from today on" moves with the clock
    )
    links.register_page("lich-cong-tac", _("Lịch công tác"), "agenda:week")

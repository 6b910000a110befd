from datetime import timedelta

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from . import ical
from .forms import WeekForm, week_param
from .models import Entry, week_start

WEEKDAYS = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ Nhật"))


def week_days(monday, entries):
    """[(day, its name, its entries)] for the seven days from `monday`, every day present."""
    days = {monday + timedelta(days=offset): [] for offset in range(7)}
    for entry in entries:
        days[entry.day].append(entry)
    return [(day, WEEKDAYS[day.weekday()], day_entries) for day, day_entries in days.items()]


def week_context(monday, entries):
    today = timezone.localdate()
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "week": week_param(monday),
        "week_number": monday.isocalendar().week,
        "previous_week": week_param(monday - timedelta(days=7)),
        "next_week": week_param(monday + timedelta(days=7)),
        "is_current": monday <= today < monday + timedelta(days=7),
        "today": today,
        "days": week_days(monday, entries),
    }


class WeekView(TemplateView):
    """/lich-cong-tac/?tuan=2026-W49: the published entries of one week, day by day (one query)."""

    template_name = "agenda/week.html"

    def get_context_data(self, **kwargs):
        form = WeekForm(self.request.GET)
        monday = form.monday()
        entries = Entry.objects.published().in_week(monday).in_order()
        return super().get_context_data(form=form, **week_context(monday, entries), **kwargs)


def week_preview(request, entry):
    """The admin's "Xem trước" (core/workflow): the entry's week as readers will see it once `entry` (in memory,
    maybe unsaved) is published, beside the week's published entries. Never cached (the caller's headers)."""
    monday = week_start(entry.day or timezone.localdate())
    entries = list(Entry.objects.published().in_week(monday).exclude(pk=entry.pk))
    if entry.day and entry.starts_at:
        entries.append(entry)
    entries.sort(key=lambda e: (e.day, e.starts_at, e.pk or 0))
    context = {"form": WeekForm({}), "preview": True, **week_context(monday, entries)}
    return TemplateResponse(request, WeekView.template_name, context)


class PrintWeekView(WeekView):
    """The same week as a sheet of paper: no menu, no sidebar (print CSS does the rest)."""

    template_name = "agenda/print.html"


def ical_feed(request):
    """/lich-cong-tac/ical/: the published entries from four weeks back to twelve weeks ahead (RFC 5545)."""
    today = timezone.localdate()
    entries = Entry.objects.published().between(today - timedelta(weeks=4), today + timedelta(weeks=12)).in_order()
    response = HttpResponse(ical.calendar(entries, request), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-cong-tac.ics"'
    return response

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .days import local_day

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker sends ISO; people type 10/01/2023
MAX_SPAN_DAYS = 366


class DashboardForm(forms.Form):
    """The dashboard's choices: chart range, and the period of the tables. Every field is optional."""

    days = forms.TypedChoiceField(
        label=_("Biểu đồ"),
        coerce=int,
        required=False,
        initial=30,
        choices=[(30, _("30 ngày qua")), (90, _("90 ngày qua"))],
    )
    start = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *, now=None, **kwargs):
        self.today = local_day(now or timezone.now())
        kwargs.setdefault("initial", {"days": 30, "start": self.today - timedelta(days=29), "end": self.today})
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("end") or self.today
        start = cleaned.get("start") or end - timedelta(days=29)
        if start > end:
            self.add_error("end", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        elif (end - start).days >= MAX_SPAN_DAYS:
            self.add_error("start", _("Chỉ xem được tối đa %(days)s ngày một lần.") % {"days": MAX_SPAN_DAYS})
        return cleaned

    def choices(self):
        """(days, start, end) to show: the valid choices, defaults for the rest."""
        cleaned = self.cleaned_data if self.is_bound and self.is_valid() else {}
        days = cleaned.get("days") or 30
        end = cleaned.get("end") or self.today
        start = cleaned.get("start") or end - timedelta(days=29)
        return days, start, end

import re
from datetime import date

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Entry, week_start

ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.ASCII | re.IGNORECASE)


def week_param(monday):
    """The Monday of a week → `2026-W49`, the `?tuan=` value."""
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


class WeekForm(forms.Form):
    """`/lich-cong-tac/?tuan=2026-W49` (ISO week); anything else is explained and the current week shown."""

    tuan = forms.CharField(
        label=_("Tuần"),
        required=False,
        max_length=10,
        error_messages={
            "max_length": _("Tuần phải có dạng 2026-W49 (năm, chữ W, số tuần)."),
            "null_characters_not_allowed": _("Tuần phải có dạng 2026-W49 (năm, chữ W, số tuần)."),
        },
    )

    def clean_tuan(self):
        value = self.cleaned_data["tuan"].strip()
        if not value:
            return None
        match = ISO_WEEK.match(value)
        try:
            if not match:
                raise ValueError
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            raise forms.ValidationError(
                _("Không có tuần “%(value)s”. Tuần phải có dạng 2026-W49 (năm, chữ W, số tuần từ 1 đến 53)."),
                code="invalid",
                params={"value": value},
            ) from None

    def monday(self):
        """The week asked for, or the current one (also when the parameter is wrong)."""
        if self.is_valid() and self.cleaned_data["tuan"]:
            return self.cleaned_data["tuan"]
        return week_start(timezone.localdate())


# Vietnamese write 02/12/2026 for 2 December (Django's defaults would read it as 12 February); the admin's
# date picker writes ISO dates.
DAY_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class EntryAdminForm(forms.ModelForm):
    day = forms.DateField(
        label=_("Ngày"),
        input_formats=DAY_INPUTS,
        widget=AdminDateWidget(format="%d/%m/%Y"),
        error_messages={"invalid": _("Ngày chưa đúng; hãy nhập theo dạng 02/12/2026 (ngày/tháng/năm).")},
    )

    class Meta:
        model = Entry
        fields = [
            "day",
            "starts_at",
            "ends_at",
            "content",
            "leaders",
            "host_unit",
            "attendees",
            "place",
            "publish_at",
        ]  # (the status is the workflow's: core/workflow's buttons set it)
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.Textarea(attrs={"rows": 2}),
        }

"""Dates typed the Vietnamese way, day first, in every form (the admin's included)."""

import datetime

from django import forms
from django.utils import translation


class When(forms.Form):
    day = forms.DateField()
    at = forms.DateTimeField()


def test_day_first_in_vietnamese():
    with translation.override("vi"):
        form = When({"day": "05/12/2026", "at": "05/12/2026 14:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 12, 5)
        assert form.cleaned_data["at"].date() == datetime.date(2026, 12, 5)
        assert form.cleaned_data["at"].hour == 14


def test_iso_dates_still_read():
    with translation.override("vi"):
        form = When({"day": "2026-12-05", "at": "2026-12-05T14:30"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2026, 12, 5)


def test_a_date_that_cannot_be_is_refused_in_vietnamese():
    with translation.override("vi"):
        form = When({"day": "31/02/2026", "at": "05/12/2026 14:30"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Nhập một ngày hợp lệ."]

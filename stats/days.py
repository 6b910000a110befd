"""The site's calendar day: every count of stats is per day in Vietnam (Asia/Ho_Chi_Minh), whatever
time zone a request activated."""

from datetime import datetime, time, timedelta

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone

_today = (0.0, 0.0, None)  # (start, end as timestamps, day): the day most requests fall in


def local_day(now):
    """The calendar day of `now` in the site's time zone."""
    global _today
    moment = now.timestamp()
    start, end, day = _today
    if start <= moment < end:
        return day
    tz = timezone.get_default_timezone()
    day = timezone.localtime(now, tz).date()
    _today = (
        datetime.combine(day, time.min, tzinfo=tz).timestamp(),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz).timestamp(),
        day,
    )
    return day


def next_midnight(now):
    """When the local day after `now` begins."""
    tz = timezone.get_default_timezone()
    return datetime.combine(local_day(now) + timedelta(days=1), time.min, tzinfo=tz)


def recent_days(days, now=None):
    """(first, last) day of the `days` days up to today, today included."""
    today = local_day(now or timezone.now())
    return today - timedelta(days=days - 1), today


@receiver(setting_changed)
def _forget_settings(setting, **kwargs):
    global _today
    if setting == "TIME_ZONE":
        _today = (0.0, 0.0, None)

"""The feedback section of the leaders' dashboard (core.dashboard): how citizens' questions are handled.

Figures for the period shown and the one before it (received, answered, median time to answer) and what
is overdue now; a table per month for the last six months. Three queries, whatever the data.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dashboard

from .models import Feedback

PERIOD_SQL = """
SELECT count(*) FILTER (WHERE created_at >= %(start)s AND created_at < %(end)s),
       count(*) FILTER (WHERE created_at >= %(pstart)s AND created_at < %(pend)s),
       count(*) FILTER (WHERE status = 'answered' AND answered_at >= %(start)s AND answered_at < %(end)s),
       count(*) FILTER (WHERE status = 'answered' AND answered_at >= %(pstart)s AND answered_at < %(pend)s),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - created_at))
           FILTER (WHERE status = 'answered' AND answered_at >= %(start)s AND answered_at < %(end)s),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - created_at))
           FILTER (WHERE status = 'answered' AND answered_at >= %(pstart)s AND answered_at < %(pend)s)
FROM feedback_feedback
WHERE created_at >= %(pstart)s OR answered_at >= %(pstart)s
"""

MONTHS_SQL = """
WITH months AS (
    SELECT generate_series(date_trunc('month', %(first)s::timestamptz AT TIME ZONE %(tz)s),
                           date_trunc('month', %(last)s::timestamptz AT TIME ZONE %(tz)s),
                           interval '1 month') AS month
), received AS (
    SELECT date_trunc('month', created_at AT TIME ZONE %(tz)s) AS month, count(*) AS n,
           count(*) FILTER (WHERE status IN ('new', 'in_progress')) AS still_open
    FROM feedback_feedback WHERE created_at >= %(first)s GROUP BY 1
), answered AS (
    SELECT date_trunc('month', answered_at AT TIME ZONE %(tz)s) AS month, count(*) AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - created_at)) AS median
    FROM feedback_feedback WHERE status = 'answered' AND answered_at >= %(first)s GROUP BY 1
)
SELECT months.month, COALESCE(received.n, 0), COALESCE(answered.n, 0), answered.median,
       COALESCE(received.still_open, 0)
FROM months LEFT JOIN received USING (month) LEFT JOIN answered USING (month)
ORDER BY months.month DESC
"""


def _days(seconds):
    return None if seconds is None else round(seconds / 86400, 1)


def _midnight(day):
    """The start of `day` in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def section(period):
    params = {
        "start": _midnight(period.start),
        "end": _midnight(period.end + timedelta(days=1)),
        "pstart": _midnight(period.previous_start),
        "pend": _midnight(period.previous_end + timedelta(days=1)),
    }
    with connection.cursor() as cursor:
        cursor.execute(PERIOD_SQL, params)
        received, received_before, answered, answered_before, median, median_before = cursor.fetchone()
        first = _midnight(period.today.replace(day=1))
        for _i in range(5):
            first = _midnight((first - timedelta(days=1)).date().replace(day=1))
        cursor.execute(MONTHS_SQL, {"first": first, "last": _midnight(period.today), "tz": settings.TIME_ZONE})
        months = cursor.fetchall()
    overdue = Feedback.objects.overdue().count()
    day_unit = _("ngày")
    figures = [
        dashboard.Figure(_("Góp ý nhận được"), received, received_before),
        dashboard.Figure(_("Đã trả lời"), answered, answered_before),
        dashboard.Figure(
            _("Thời gian trả lời (trung vị)"), _days(median), _days(median_before), day_unit, lower_is_better=True
        ),
        dashboard.Figure(_("Quá hạn trả lời (hiện nay)"), overdue, None, alert=bool(overdue)),
    ]
    rows = [
        [
            f"{month:%m/%Y}",
            received_n,
            answered_n,
            "—" if median is None else f"{_days(median):n} {day_unit}".replace(".", ","),
            still_open,
        ]
        for month, received_n, answered_n, median, still_open in months
    ]
    table = dashboard.Table(
        caption=_("Tiếp nhận và trả lời góp ý theo tháng"),
        headers=[_("Tháng"), _("Nhận"), _("Đã trả lời"), _("Trả lời sau (trung vị)"), _("Đang xử lý")],
        rows=rows,
        numeric=(1, 2, 3, 4),
    )
    note = _(
        "Quá hạn: chưa trả lời sau %(days)s ngày kể từ khi nhận. Thời gian trả lời tính từ lúc người dân gửi "
        "đến lúc cán bộ lưu câu trả lời."
    ) % {"days": settings.FEEDBACK_OVERDUE_DAYS}
    return dashboard.Section("feedback", _("Góp ý của người dân"), figures, [table], note)


def register():
    dashboard.register("feedback", section, order=20)

"""The leaders' dashboard's own sections (core.dashboard types): traffic against the period before,
visits by kind of device, and what readers search for. Other apps add theirs through core.dashboard."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from core import dashboard

from . import reports, services
from .visitors import Device


def period_of(days, today):
    """The last `days` days up to today, and the `days` before them."""
    start = today - timedelta(days=days - 1)
    return dashboard.Period(
        start=start,
        end=today,
        previous_start=start - timedelta(days=days),
        previous_end=start - timedelta(days=1),
        today=today,
    )


def _share(part, whole):
    return f"{part * 100 / whole:.0f} %" if whole else "—"


def daily_both(period):
    """One row per day of the period before and of the period, oldest first: one query."""
    return reports.daily(period.previous_start, period.end)


def traffic(period, rows=None):
    """Visits and views of the period and the one before (rows: `daily_both(period)`, when already read)."""
    days = (period.end - period.start).days + 1
    rows = rows if rows is not None else daily_both(period)
    now = [r for r in rows if r.day >= period.start]
    before = [r for r in rows if r.day <= period.previous_end]
    visits, views = sum(r.visits for r in now), sum(r.views for r in now)
    visits_before, views_before = sum(r.visits for r in before), sum(r.views for r in before)
    devices = services.devices(period.start, period.end)
    known = sum(n for device, n in devices.items() if device != Device.UNKNOWN)
    figures = [
        dashboard.Figure(_("Lượt truy cập"), visits, visits_before),
        dashboard.Figure(_("Lượt xem bài viết"), views, views_before),
        dashboard.Figure(_("Lượt truy cập trung bình mỗi ngày"), round(visits / days), round(visits_before / days)),
    ]
    labels = {
        Device.PHONE: _("Điện thoại"),
        Device.TABLET: _("Máy tính bảng"),
        Device.DESKTOP: _("Máy tính"),
    }
    rows = [[labels[device], devices[device], _share(devices[device], known)] for device in labels]
    if devices[Device.UNKNOWN]:
        rows.append([_("Không xác định"), devices[Device.UNKNOWN], "—"])
    table = dashboard.Table(
        caption=_("Lượt truy cập theo loại thiết bị"),
        headers=[_("Thiết bị"), _("Lượt truy cập"), _("Tỉ lệ")],
        rows=rows,
        numeric=(1, 2),
    )
    note = _(
        "So với %(days)s ngày liền trước (%(start)s – %(end)s). Loại thiết bị lấy từ thông tin trình duyệt "
        "gửi kèm (User-Agent), không lưu thông tin cá nhân."
    ) % {"days": days, "start": f"{period.previous_start:%d/%m/%Y}", "end": f"{period.previous_end:%d/%m/%Y}"}
    return dashboard.Section("traffic", _("Truy cập so với kỳ trước"), figures, [table], note)


def searches(period):
    top = services.top_searches(period.start, period.end)
    empty = services.top_searches(period.start, period.end, empty=True)
    headers = [_("Từ khoá"), _("Số lần tìm"), _("Không thấy kết quả")]
    tables = [
        dashboard.Table(
            _("Từ khoá được tìm nhiều nhất"),
            headers,
            [list(row) for row in top],
            numeric=(1, 2),
            empty=_("Chưa có lượt tìm kiếm nào trong khoảng thời gian này."),
        ),
        dashboard.Table(
            _("Tìm mà không thấy kết quả (nên bổ sung nội dung)"),
            headers,
            [list(row) for row in empty],
            numeric=(1, 2),
            empty=_("Mọi lượt tìm đều có kết quả."),
        ),
    ]
    note = _("Chỉ lưu từ khoá và số lần tìm mỗi ngày, không lưu ai tìm; xoá sau %(days)s ngày.")
    return dashboard.Section(
        "searches", _("Người đọc tìm gì"), tables=tables, note=note % {"days": settings.STATS_SEARCH_DAYS}
    )


def register():
    dashboard.register("searches", searches, order=30)

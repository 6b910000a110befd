"""The traffic dashboard, at /admin/stats/dashboard/, for users with the "Xem thống kê" permission.

Registered as the admin page of the table-less `Dashboard` model, so the admin index lists it for
exactly the users allowed to open it; staff without the permission get 403.
"""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import dashboard

from . import dashboard as stats_dashboard
from . import reports
from .charts import bar_chart
from .forms import DashboardForm
from .models import Dashboard

PERMISSION = "stats.view_dashboard"


def _csv_tables():
    """name in the URL: (file name stem, header row, rows(start, end))."""
    return {
        "theo-ngay": (
            "luot-truy-cap-theo-ngay",
            [_("Ngày"), _("Lượt truy cập"), _("Lượt xem bài viết")],
            lambda start, end: [(r.day, r.visits, r.views) for r in reports.daily(start, end)],
        ),
        "bai-viet": (
            "bai-viet-doc-nhieu",
            [_("Hạng"), _("Bài viết"), _("Chuyên mục"), _("Ngày đăng"), _("Lượt xem"), _("Địa chỉ")],
            lambda start, end: [
                (
                    r.rank,
                    r.title or _("(bài viết đã xóa, mã %(id)s)") % {"id": r.article_id},
                    r.category,
                    r.published or "",
                    r.views,
                    r.url,
                )
                for r in reports.top_articles(reports.reading(start, end, 20))
            ],
        ),
        "chuyen-muc": (
            "luot-xem-theo-chuyen-muc",
            [_("Chuyên mục"), _("Thuộc chuyên mục"), _("Lượt xem"), _("Số bài được đọc")],
            lambda start, end: [
                (row.name, row.parent, row.views, row.articles)
                for top in reports.category_totals(reports.reading(start, end))
                for row in (top, *top.children)
            ],
        ),
    }


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("", self.admin_site.admin_view(self.dashboard_view), name=f"{prefix}_changelist"),
            path("csv/<slug:table>/", self.admin_site.admin_view(self.csv_view), name=f"{prefix}_csv"),
        ]

    def _check(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def dashboard_view(self, request):
        self._check(request)
        form = DashboardForm(request.GET or None)
        days, start, end = form.choices()
        read = reports.reading(start, end)  # for both tables: every article read in the period, named
        period = stats_dashboard.period_of(days, form.today)
        both = stats_dashboard.daily_both(period)  # the chart's days and the days before, to compare
        daily = [row for row in both if row.day >= period.start]
        # This period against the one before: traffic first, then what the apps registered (feedback, …).
        sections = [stats_dashboard.traffic(period, both), *dashboard.sections(period)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext_lazy("Bảng thống kê truy cập"),
            "form": form,
            "days": days,
            "start": start,
            "end": end,
            "summary": reports.summary(),
            "sections": sections,
            "daily": daily,
            "views_chart": bar_chart(
                "chart-views",
                _("Lượt xem bài viết mỗi ngày, %(days)s ngày qua") % {"days": days},
                [(row.day, row.views) for row in daily],
                _("lượt xem"),
            ),
            "visits_chart": bar_chart(
                "chart-visits",
                _("Lượt truy cập mỗi ngày, %(days)s ngày qua") % {"days": days},
                [(row.day, row.visits) for row in daily],
                _("lượt truy cập"),
            ),
            "top_articles": reports.top_articles(read),
            "categories": reports.category_totals(read),
            "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "stats/admin/dashboard.html", context)

    def csv_view(self, request, table):
        self._check(request)
        tables = _csv_tables()
        if table not in tables:
            raise Http404
        stem, header, rows = tables[table]
        form = DashboardForm(request.GET or None)
        days, start, end = form.choices()
        if table == "theo-ngay":  # the chart's range
            start, end = form.today - timedelta(days=days - 1), form.today
        response = HttpResponse(reports.to_csv(header, rows(start, end)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
        response["Cache-Control"] = "no-store, private"
        return response

"""CSV export for Excel: UTF-8 with a byte order mark (or Excel guesses the encoding and breaks
Vietnamese), and no cell that a spreadsheet would run as a formula.
See https://owasp.org/www-community/attacks/CSV_Injection"""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """A cell value as text, prefixed with ' when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_START):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def rows(queryset):
    yield [
        _("Mã"),
        _("Gửi lúc"),
        _("Trạng thái"),
        _("Quá hạn"),
        _("Họ tên"),
        _("Email"),
        _("Điện thoại"),
        _("Tiêu đề"),
        _("Nội dung"),
        _("Bài viết"),
        _("Trả lời"),
        _("Đơn vị trả lời"),
        _("Người trả lời"),
        _("Trả lời lúc"),
        _("Công khai"),
    ]
    yes, no = _("Có"), _("Không")
    queryset = queryset.select_related("article", "answered_by").defer("search_vector")
    for item in queryset.iterator(chunk_size=500):
        answerer = item.answered_by
        yield [
            item.code,
            local(item.created_at),
            item.get_status_display(),
            yes if item.is_overdue else no,
            item.name,
            item.email,
            item.phone,
            item.title,
            item.content,
            item.article.title if item.article_id else "",
            item.answer,
            item.answered_unit,
            (answerer.get_full_name() or answerer.get_username()) if answerer else "",
            local(item.answered_at),
            yes if item.is_public else no,
        ]


def stream(queryset):
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows(queryset):
        yield writer.writerow([safe_cell(value) for value in row])


def csv_response(queryset):
    filename = timezone.localtime().strftime("gop-y-%Y%m%d-%H%M.csv")
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in stream(queryset)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response

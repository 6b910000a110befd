"""Demo work calendar: the current week and the next one, published (illustrative names and places).

Idempotent: an entry is found again by its day, start time and content; nothing is duplicated."""

from datetime import time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from agenda.models import Entry, week_start

DIRECTOR = "Giám đốc Sở Lê Văn Minh"
DEPUTY_1 = "Phó Giám đốc Trần Minh Quang"
DEPUTY_2 = "Phó Giám đốc Nguyễn Thị Hoa"

# (weekday 0 = Monday, start, end, content, leaders, host unit, attendees, place)
WEEK = [
    (
        0,
        time(7, 30),
        time(9, 0),
        "Giao ban Lãnh đạo Sở đầu tuần",
        DIRECTOR,
        "Văn phòng Sở",
        "Ban Giám đốc Sở; Trưởng các phòng, đơn vị trực thuộc",
        "Phòng họp tầng 2, trụ sở Sở",
    ),
    (
        0,
        time(14, 0),
        time(16, 30),
        "Họp Hội đồng tư vấn xác định nhiệm vụ khoa học và công nghệ cấp tỉnh",
        DEPUTY_1,
        "Phòng Quản lý khoa học",
        "Thành viên Hội đồng theo Quyết định; đại diện các sở, ngành liên quan",
        "Phòng họp tầng 3, trụ sở Sở",
    ),
    (
        1,
        time(8, 0),
        None,
        "Dự Hội nghị trực tuyến của Bộ Khoa học và Công nghệ về chuyển đổi số",
        DIRECTOR,
        "Bộ Khoa học và Công nghệ",
        "Giám đốc Sở; Trưởng phòng Kế hoạch - Tài chính",
        "Điểm cầu UBND tỉnh",
    ),
    (
        2,
        time(8, 0),
        time(11, 0),
        "Kiểm tra đo lường, chất lượng xăng dầu tại các cửa hàng trên địa bàn",
        DEPUTY_2,
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "Đoàn kiểm tra theo Quyết định",
        "Huyện Vĩnh Tường",
    ),
    (
        2,
        time(14, 0),
        time(17, 0),
        "Tiếp công dân định kỳ",
        DIRECTOR,
        "Thanh tra Sở",
        "Giám đốc Sở; Chánh Thanh tra Sở",
        "Phòng tiếp công dân, trụ sở Sở",
    ),
    (
        3,
        time(8, 30),
        time(11, 30),
        "Nghiệm thu nhiệm vụ: Ứng dụng công nghệ IoT giám sát môi trường ao nuôi tôm",
        DEPUTY_1,
        "Phòng Quản lý khoa học",
        "Hội đồng nghiệm thu; chủ nhiệm và tổ chức chủ trì nhiệm vụ",
        "Phòng họp tầng 3, trụ sở Sở",
    ),
    (
        4,
        time(8, 0),
        time(10, 0),
        "Làm việc với Trung tâm Đổi mới sáng tạo về kế hoạch Techfest tỉnh",
        DIRECTOR,
        "Trung tâm Đổi mới sáng tạo",
        "Ban Giám đốc Sở; Giám đốc Trung tâm",
        "Trung tâm Đổi mới sáng tạo",
    ),
    (
        4,
        time(15, 0),
        time(16, 30),
        "Họp giao ban công tác chuyển đổi số của Sở",
        DEPUTY_2,
        "Văn phòng Sở",
        "Các phòng, đơn vị trực thuộc",
        "Phòng họp tầng 2, trụ sở Sở",
    ),
]


class Command(BaseCommand):
    help = "Load a demo work calendar for this week and the next (idempotent)."

    def handle(self, *args, **options):
        monday = week_start(timezone.localdate())
        created = 0
        with transaction.atomic():
            for week in (0, 1):
                for weekday, start, end, content, leaders, host, attendees, place in WEEK:
                    _entry, made = Entry.objects.get_or_create(
                        day=monday + timedelta(days=7 * week + weekday),
                        starts_at=start,
                        content=content,
                        defaults={
                            "ends_at": end,
                            "leaders": leaders,
                            "host_unit": host,
                            "attendees": attendees,
                            "place": place,
                            "status": Entry.Status.PUBLISHED,
                            "publish_at": timezone.now() - timedelta(days=7),
                        },
                    )
                    created += made
        self.stdout.write(self.style.SUCCESS(f"Agenda demo ready: {created} new entries."))

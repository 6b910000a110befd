"""The leaders' work calendar: the week page, what readers may see, bad input, the printable week, the
iCalendar feed and the admin's quick entry."""

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.forms import EntryAdminForm
from agenda.models import Entry, week_start

pytestmark = pytest.mark.django_db

URL = "/lich-cong-tac/"


def make_entry(day, start=time(8, 0), content="Giao ban Lãnh đạo Sở", status=Entry.Status.PUBLISHED, **fields):
    return Entry.objects.create(day=day, starts_at=start, content=content, status=status, **fields)


def this_monday():
    return week_start(timezone.localdate())


def test_week_page_lists_the_published_entries_day_by_day(client, django_assert_max_num_queries):
    monday = this_monday()
    make_entry(
        monday + timedelta(days=1),
        time(14, 0),
        "Họp Hội đồng tư vấn xác định nhiệm vụ",
        ends_at=time(16, 30),
        leaders="Phó Giám đốc Trần Minh Quang",
        attendees="Thành viên Hội đồng",
        host_unit="Phòng Quản lý khoa học",
        place="Phòng họp tầng 3",
    )
    make_entry(monday, time(7, 30), "Giao ban đầu tuần")
    make_entry(monday, time(9, 0), "Bản nháp chưa duyệt", status=Entry.Status.DRAFT)
    make_entry(monday, time(10, 0), "Chờ duyệt", status=Entry.Status.PENDING)
    make_entry(monday, time(11, 0), "Hẹn giờ công bố", publish_at=timezone.now() + timedelta(hours=2))
    make_entry(monday + timedelta(days=7), time(8, 0), "Việc của tuần kế tiếp")
    client.get(URL)  # the frame (menus, footer) is remembered after the first page
    # The week's entries in one query, whatever their number (the rest: the content version, and frame blocks
    # whose fragments follow the clock).
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Thứ Hai",
        "Chủ Nhật",
        "Giao ban đầu tuần",
        "Họp Hội đồng tư vấn xác định nhiệm vụ",
        "Thành phần",
        "Thành viên Hội đồng",
        "Đơn vị chủ trì",
        "Phòng Quản lý khoa học",
        "Địa điểm",
        "Phòng họp tầng 3",
        "Phó Giám đốc Trần Minh Quang",
        "14h00",
        "16h30",
        "Hôm nay",
    ):
        assert text in html, text
    for hidden in ("Bản nháp chưa duyệt", "Chờ duyệt", "Hẹn giờ công bố", "Việc của tuần kế tiếp"):
        assert hidden not in html
    assert html.index("Giao ban đầu tuần") < html.index("Họp Hội đồng tư vấn")
    assert html.count('<section class="agenda-day') == 7


def test_today_is_marked_once(client):
    html = client.get(URL).content.decode()
    today = timezone.localdate()
    assert html.count("agenda-today-mark") == 1
    assert f'id="ngay-{today:%Y-%m-%d}"' in html.split("agenda-today-mark")[0].rsplit("<section", 1)[1]


def test_previous_and_next_week(client):
    monday = date(2026, 11, 30)  # ISO week 2026-W49
    make_entry(monday - timedelta(days=7), content="Việc tuần trước")
    make_entry(monday + timedelta(days=7), content="Việc tuần sau")
    html = client.get(URL, {"tuan": "2026-W49"}).content.decode()
    assert "Tuần 49: từ 30/11/2026 đến 06/12/2026" in html
    assert 'href="?tuan=2026-W48"' in html and 'href="?tuan=2026-W50"' in html
    assert "Việc tuần sau" in client.get(URL, {"tuan": "2026-W50"}).content.decode()
    assert "Việc tuần trước" in client.get(URL, {"tuan": "2026-W48"}).content.decode()
    # Across the year's end: ISO 2026 has 53 weeks.
    assert 'href="?tuan=2027-W01"' in client.get(URL, {"tuan": "2026-W53"}).content.decode()


@pytest.mark.parametrize("value", ["abc", "2026-W60", "2026-W00", "2025-W53", "9999999999", "2026-W4\x00"])
def test_a_wrong_week_is_explained_and_this_week_shown(client, value):
    response = client.get(URL, {"tuan": value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tuần phải có dạng 2026-W49" in html
    assert "Đang hiện lịch tuần này." in html
    assert "Hôm nay" in html


def test_printable_week_has_no_site_chrome(client):
    make_entry(this_monday(), content="Giao ban đầu tuần")
    html = client.get(reverse("agenda:print")).content.decode()
    assert "Giao ban đầu tuần" in html and "Lịch công tác của Lãnh đạo Sở" in html
    assert "main-nav" not in html and "sidebar" not in html


def test_print_css_hides_the_controls():
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "static/css/agenda.css").read_text()
    assert "@media print" in css and ".agenda-nav" in css.split("@media print")[1]


def test_ical_feed_is_valid_rfc5545_with_local_times():
    from django.test import Client

    monday = this_monday()
    entry = make_entry(
        monday,
        time(7, 30),
        "Giao ban; đầu tuần, Lãnh đạo",
        ends_at=time(9, 0),
        place="Phòng họp, tầng 2",
        leaders="Giám đốc Sở",
        attendees="Ban Giám đốc",
    )
    make_entry(monday, time(10, 0), "Bản nháp", status=Entry.Status.DRAFT)
    make_entry(monday, time(15, 0), "Không có giờ kết thúc")
    response = Client().get(reverse("agenda:ical"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines folded at 75 octets"
    cal = icalendar.Calendar.from_ical(body)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    first = next(event for event in events if "Giao ban" in str(event["summary"]))
    start = first.decoded("dtstart")
    assert start == timezone.make_aware(datetime.combine(monday, time(7, 30)))
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh"
    assert first.decoded("dtend") - start == timedelta(minutes=90)
    assert str(first["summary"]) == "Giám đốc Sở: Giao ban; đầu tuần, Lãnh đạo"
    assert str(first["location"]) == "Phòng họp, tầng 2"
    assert str(first["uid"]).startswith(f"lich-cong-tac-{entry.pk}@")
    assert list(cal.walk("VTIMEZONE")), "the time zone is described"
    lone = next(event for event in events if "Không có giờ" in str(event["summary"]))
    assert "dtend" not in lone


def test_an_entry_ending_before_it_starts_gets_a_vietnamese_error_on_the_field():
    form = EntryAdminForm(
        data={
            "day": "01/12/2026",
            "starts_at": "14:00",
            "ends_at": "09:00",
            "content": "Họp",
            "status": "draft",
            "publish_at_0": "2026-12-01",
            "publish_at_1": "08:00",
        }
    )
    assert not form.is_valid()
    assert form.errors["ends_at"] == ["Giờ kết thúc phải sau giờ bắt đầu."]


def test_the_status_is_not_typed_but_set_by_the_review_buttons():
    # "Lưu nháp", "Gửi duyệt", "Duyệt & xuất bản" (core/workflow): tests/test_workflow_agenda_consultation.py
    assert "status" not in EntryAdminForm().fields


def test_admin_copies_a_week_to_the_next_as_drafts(admin_client):
    monday = this_monday()
    entries = [make_entry(monday + timedelta(days=n), content=f"Việc ngày {n}") for n in range(3)]
    response = admin_client.post(
        reverse("admin:agenda_entry_changelist"),
        {"action": "copy_to_next_week", "_selected_action": [e.pk for e in entries]},
        follow=True,
    )
    assert "Đã nhân bản 3 mục sang tuần sau" in response.content.decode()
    copies = Entry.objects.filter(day__gte=monday + timedelta(days=7)).order_by("day")
    assert [(c.day, c.content, c.status) for c in copies] == [
        (monday + timedelta(days=7 + n), f"Việc ngày {n}", Entry.Status.DRAFT) for n in range(3)
    ]


def test_admin_list_and_add_form_in_vietnamese(admin_client):
    make_entry(this_monday(), content="Giao ban")
    html = admin_client.get(reverse("admin:agenda_entry_changelist")).content.decode()
    assert "Giao ban" in html and "Nhân bản sang tuần sau" in html
    response = admin_client.post(
        reverse("admin:agenda_entry_add"),
        {
            "day": "02/12/2026",
            "starts_at": "14:00",
            "ends_at": "13:00",
            "content": "Tiếp công dân",
            "status": "draft",
            "publish_at_0": "2026-12-01",
            "publish_at_1": "08:00",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Giờ kết thúc phải sau giờ bắt đầu." in html
    assert "Tiếp công dân" in html  # nothing typed is lost
    response = admin_client.post(
        reverse("admin:agenda_entry_add"),
        {
            "day": "02/12/2026",
            "starts_at": "14:00",
            "content": "Tiếp công dân",
            "status": "published",
            "publish_at_0": "2026-12-01",
            "publish_at_1": "08:00",
            "_addanother": "1",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?day=02/12/2026")
    assert Entry.objects.get(content="Tiếp công dân").created_by.is_superuser


def test_home_page_shows_what_is_left_of_this_week(client):
    today = timezone.localdate()
    make_entry(today, time(23, 0), "Việc hôm nay trên trang chủ", leaders="Giám đốc Sở")
    make_entry(today - timedelta(days=8), content="Việc đã qua từ lâu")
    make_entry(today, time(10, 0), "Bản nháp trang chủ", status=Entry.Status.DRAFT)
    html = client.get("/").content.decode()
    assert "Lịch công tác tuần này" in html and "Việc hôm nay trên trang chủ" in html and "Hôm nay, 23h00" in html
    assert "Việc đã qua từ lâu" not in html and "Bản nháp trang chủ" not in html
    # A change shows at once (the block's fragment is keyed by the content version).
    draft = Entry.objects.get(content="Bản nháp trang chủ")
    draft.status = Entry.Status.PUBLISHED
    draft.save()
    assert "Bản nháp trang chủ" in client.get("/").content.decode()


def test_no_entries_no_home_block(client):
    assert "Lịch công tác tuần này" not in client.get("/").content.decode()

"""The leaders' dashboard answers "how are we doing": every figure beside the period before it, feedback
handling per month, what readers search for (and do not find), and visits by kind of device."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from feedback.models import Feedback
from stats import services
from stats.days import local_day
from stats.models import DailyTraffic, SearchDay
from stats.visitors import Device, device_class

from .test_feedback_support import make_feedback

URL = "/admin/stats/dashboard/"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
ANDROID_PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
ANDROID_TABLET = "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
IPAD = "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"
WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
ZALO = "Mozilla/5.0 (Linux; Android 12; CPH2219) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 Zalo android/12"


@pytest.fixture
def leader(db, django_user_model):
    user = django_user_model.objects.create_user(username="lanhdao", password="mat-khau-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Lãnh đạo"))
    return user


@pytest.fixture
def today():
    return local_day(timezone.now())


@pytest.mark.parametrize(
    "agent, device",
    [
        (IPHONE, Device.PHONE),
        (ANDROID_PHONE, Device.PHONE),
        (ZALO, Device.PHONE),
        (ANDROID_TABLET, Device.TABLET),
        (IPAD, Device.TABLET),
        (WINDOWS, Device.DESKTOP),
        ("", Device.UNKNOWN),
    ],
)
def test_device_classes(agent, device):
    assert device_class(agent) == device


@pytest.mark.django_db
def test_readers_are_counted_by_device_and_the_closed_day_keeps_the_split(client, article, today):
    for n, agent in enumerate((IPHONE, IPHONE, ANDROID_TABLET, WINDOWS)):
        client.cookies.clear()  # four different readers, from four addresses (the cookieless rule)
        response = client.get(article.get_absolute_url(), HTTP_USER_AGENT=agent, REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert response.status_code == 200
    assert services.devices(today, today) == {Device.PHONE: 2, Device.TABLET: 1, Device.DESKTOP: 1, Device.UNKNOWN: 0}
    # Two days later stats_rollup closes the day: the split stays in its DailyTraffic row.
    later = timezone.now() + timedelta(days=2)
    services.rollup(later)
    row = DailyTraffic.objects.get(day=today)
    assert (row.visits, row.phone_visits, row.tablet_visits, row.desktop_visits) == (4, 2, 1, 1)
    assert services.devices(today, today)[Device.PHONE] == 2


@pytest.mark.django_db
def test_searches_are_counted_with_those_that_found_nothing(client, make_article, today):
    make_article("Hội thảo chuyển đổi số cấp tỉnh")
    client.get("/tim-kiem/", {"q": "Chuyển  đổi số"})
    client.get("/tim-kiem/", {"q": "chuyển đổi số"})
    client.get("/tim-kiem/", {"q": "tuyển dụng viên chức"})
    client.get("/tim-kiem/", {"q": "chuyển đổi số", "loai": "bai-viet", "page": "2"})  # paging: not a new search
    rows = {row.query: (row.searches, row.empty) for row in SearchDay.objects.filter(day=today)}
    assert rows == {"chuyển đổi số": (2, 0), "tuyển dụng viên chức": (1, 1)}


@pytest.mark.django_db
def test_old_search_words_are_deleted(today):
    SearchDay.objects.create(day=today - timedelta(days=200), query="cũ", searches=3)
    SearchDay.objects.create(day=today, query="mới", searches=1)
    services.rollup()
    assert list(SearchDay.objects.values_list("query", flat=True)) == ["mới"]


@pytest.fixture
def history(today):
    """30 days of 100 visits (60 by phone), the 30 before of 80; searches; feedback answered in 2 and 4 days."""
    for offset in range(60):
        visits = 100 if offset < 30 else 80
        DailyTraffic.objects.create(
            day=today - timedelta(days=offset + 2),
            visits=visits,
            views=2 * visits,
            phone_visits=visits * 6 // 10,
            tablet_visits=5,
            desktop_visits=visits - visits * 6 // 10 - 5,
        )
    SearchDay.objects.create(day=today - timedelta(days=3), query="đề tài khoa học", searches=12, empty=0)
    SearchDay.objects.create(day=today - timedelta(days=4), query="giá điện", searches=4, empty=4)
    now = timezone.now()
    for days_to_answer in (2, 4):
        make_feedback(
            status=Feedback.Status.ANSWERED,
            answer="Đã trả lời.",
            created_at=now - timedelta(days=10),
            answered_at=now - timedelta(days=10 - days_to_answer),
        )
    make_feedback(created_at=now - timedelta(days=40))  # received in the period before, still open: overdue


@pytest.mark.django_db
def test_every_figure_beside_the_period_before(client, leader, history, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(22):
        html = client.get(URL).text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    # Visits of the last 30 days (28 closed days of 100 shown, today and yesterday empty) against the 30 before.
    assert "Truy cập so với kỳ trước" in text
    assert re.search(r"Lượt truy cập 2\.800 kỳ trước: 2\.440 ▲ \+15 %", text), text[:3000]
    # Devices: phones first.
    assert re.search(r"Điện thoại 1\.680 60 %", text)
    # Feedback handled: 2 received in the period, both answered, median 3 days, one overdue now.
    assert re.search(r"Góp ý nhận được 2 kỳ trước: 1 ▲ \+100 %", text)
    assert re.search(r"Thời gian trả lời \(trung vị\) 3 ngày", text)
    assert re.search(r"Quá hạn trả lời \(hiện nay\) 1", text)
    assert "Tiếp nhận và trả lời góp ý theo tháng" in text
    # What readers search for, and what they do not find.
    assert re.search(r"đề tài khoa học 12 0", text)
    assert re.search(r"Tìm mà không thấy kết quả .*giá điện 4 4", text)


@pytest.mark.django_db
def test_a_fresh_demo_has_ninety_days_of_history(client, leader, make_article):
    make_article("Bài viết mẫu cho bảng thống kê")
    call_command("stats_demo", days=90, verbosity=0)
    assert DailyTraffic.objects.count() >= 88
    assert DailyTraffic.objects.filter(phone_visits__gt=0).count() >= 88
    assert SearchDay.objects.filter(empty__gt=0).exists()
    client.force_login(leader)
    html = client.get(URL + "?days=90").text
    assert html.count("<rect ") == 180  # two charts of 90 bars, none empty

"""The leaders' dashboard in the admin: who may see it, what it shows, its CSV files."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from news.models import Category
from stats.days import local_day
from stats.models import ArticleDay, DailyTraffic

URL = "/admin/stats/dashboard/"


@pytest.fixture
def leader(db, django_user_model):
    user = django_user_model.objects.create_user(username="lanhdao", password="mat-khau-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Lãnh đạo"))
    return user


@pytest.fixture
def today():
    return local_day(timezone.now())


@pytest.fixture
def traffic(make_article, category, today):
    """Three articles in two categories (one a child), read over the last days."""
    child = Category.objects.create(name="Khoa học công nghệ", slug="khoa-hoc-cong-nghe", parent=category)
    other = Category.objects.create(name="Văn bản", slug="van-ban", position=2)
    top = make_article("Bài đọc nhiều nhất tháng", category=child)
    second = make_article("Thông báo tuyển dụng", category=other)
    third = make_article('=HYPERLINK("http://example.com") bài có tiêu đề lạ')
    rows = []
    for offset in range(40):
        day = today - timedelta(days=offset)
        rows += [
            ArticleDay(article_id=top.pk, day=day, views=100),
            ArticleDay(article_id=second.pk, day=day, views=10),
        ]
        DailyTraffic.objects.create(day=day, visits=1000 + offset, views=110)
    rows.append(ArticleDay(article_id=third.pk, day=today, views=5))
    rows.append(ArticleDay(article_id=999_999, day=today, views=7))  # an article deleted since
    ArticleDay.objects.bulk_create(rows)
    return {"top": top, "second": second, "third": third, "child": child, "other": other}


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_staff_without_the_permission_get_403(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "csv/theo-ngay/").status_code == 403
    assert "Bảng thống kê" not in client.get("/admin/").text


@pytest.mark.django_db
def test_the_permission_is_called_xem_thong_ke(leader):
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="view_dashboard")
    assert permission.name == "Xem thống kê"
    assert leader.has_perm("stats.view_dashboard")


@pytest.mark.django_db
def test_leaders_find_the_dashboard_on_the_admin_index(client, leader):
    client.force_login(leader)
    html = client.get("/admin/").text
    assert "Thống kê truy cập" in html
    assert f'href="{URL}"' in html


@pytest.mark.django_db
def test_dashboard_shows_charts_tables_and_totals(client, leader, traffic, today, django_assert_max_num_queries):
    client.force_login(leader)
    # 12 for the charts and tables, 7 for the comparisons with the period before (traffic, devices,
    # feedback handling, searches: tests/test_dashboard_leaders.py).
    with django_assert_max_num_queries(19):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.text
    # Two accessible SVG charts of 30 days, each with a title and a description.
    charts = re.findall(r'<svg [^>]*role="img" aria-labelledby="(chart-\w+)-title chart-\w+-desc"', html)
    assert charts == ["chart-views", "chart-visits"]
    assert '<title id="chart-views-title">Lượt xem bài viết mỗi ngày, 30 ngày qua</title>' in html
    assert html.count("<rect ") == 60
    assert "tổng 3.300 lượt xem" in html  # 30 days × 110, in the chart's description
    # The data table behind the charts.
    assert f'<th scope="row">{today:%d/%m/%Y}</th><td class="num">1.000</td>' in html
    # Top articles of the default period (last 30 days), most read first, deleted ones marked.
    ranked = re.findall(r'<th scope="row"><a href="/bai-viet/[^"]+">([^<]+)</a>', html)
    assert ranked[:2] == ["Bài đọc nhiều nhất tháng", "Thông báo tuyển dụng"]
    assert "3.000" in html  # 30 days × 100 views
    assert "bài viết đã xóa, mã 999999" in html
    # Per category: a parent's total includes its children.
    assert re.search(r'stats-parent"><th scope="row">Hoạt động của Sở</th><td class="num">3.005</td>', html)
    assert re.search(r'stats-child"><th scope="row">Khoa học công nghệ</th><td class="num">3.000</td>', html)
    assert re.search(r'stats-parent"><th scope="row">Văn bản</th><td class="num">300</td>', html)


@pytest.mark.django_db
def test_ninety_days_chart(client, leader, traffic):
    client.force_login(leader)
    html = client.get(URL, {"days": 90}).text
    assert "Lượt truy cập mỗi ngày, 90 ngày qua" in html
    assert html.count("<rect ") == 180


@pytest.mark.django_db
def test_a_chosen_period_for_the_tables(client, leader, traffic, today):
    client.force_login(leader)
    start = today - timedelta(days=2)
    html = client.get(URL, {"start": start.isoformat(), "end": today.isoformat()}).text
    assert f"từ {start:%d/%m/%Y} đến {today:%d/%m/%Y}" in html
    assert '<td class="num">300</td>' in html  # 3 days × 100 for the top article


@pytest.mark.django_db
def test_dates_typed_the_vietnamese_way(client, leader, traffic, today):
    client.force_login(leader)
    html = client.get(URL, {"start": f"{today:%d/%m/%Y}", "end": f"{today:%d/%m/%Y}"}).text
    assert f"từ {today:%d/%m/%Y} đến {today:%d/%m/%Y}" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "31/02/2026"}, "Nhập một ngày hợp lệ."),
        ({"start": "2026-11-10", "end": "2026-11-01"}, "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "Chỉ xem được tối đa 366 ngày một lần."),
        ({"days": "7"}, "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_bad_choices_get_a_vietnamese_message_not_an_error(client, leader, params, message):
    client.force_login(leader)
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.text


@pytest.mark.django_db
def test_csv_of_the_daily_table(client, leader, traffic, today):
    client.force_login(leader)
    response = client.get(URL + "csv/theo-ngay/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="luot-truy-cap-theo-ngay-')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Ngày", "Lượt truy cập", "Lượt xem bài viết"]
    assert len(rows) == 31
    assert rows[-1] == [today.isoformat(), "1000", "110"]


@pytest.mark.django_db
def test_csv_of_the_top_articles(client, leader, traffic):
    client.force_login(leader)
    body = client.get(URL + "csv/bai-viet/").content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Hạng", "Bài viết", "Chuyên mục", "Ngày đăng", "Lượt xem", "Địa chỉ"]
    assert rows[1][:2] == ["1", "Bài đọc nhiều nhất tháng"]
    assert rows[1][4] == "3000"
    assert rows[1][5] == traffic["top"].get_absolute_url()
    # A title that Excel would run as a formula is defused.
    strange = next(row for row in rows if "HYPERLINK" in row[1])
    assert strange[1].startswith("'=")
    assert any("đã xóa" in row[1] for row in rows)


@pytest.mark.django_db
def test_csv_of_the_categories(client, leader, traffic):
    client.force_login(leader)
    body = client.get(URL + "csv/chuyen-muc/").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Chuyên mục", "Thuộc chuyên mục", "Lượt xem", "Số bài được đọc"]
    assert ["Khoa học công nghệ", "Hoạt động của Sở", "3000", "1"] in rows
    assert ["Văn bản", "", "300", "1"] in rows


@pytest.mark.django_db
def test_unknown_csv_is_404(client, leader):
    client.force_login(leader)
    assert client.get(URL + "csv/mat-khau/").status_code == 404


@pytest.mark.django_db
def test_other_admin_urls_of_the_dashboard_do_not_exist(client, leader):
    client.force_login(leader)
    assert client.get(URL + "1/change/").status_code == 404
    assert client.get(URL + "add/").status_code == 404

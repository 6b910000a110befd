"""The admin home and lists as staff see them at 1366×768 and on a phone (390×844, 2× pixels): an editor
finds their drafts, "Quản trị" the technical apps and the failed e-mail; the article and feedback lists
fit (titles readable, the time column whole, nothing cut on the right)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from core.mail import OutgoingMail
from feedback.models import Feedback
from news.models import Article

from ..test_feedback_support import make_feedback

PASSWORD = "mat-khau-thu-nghiem-2025"
LONG_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023 và kế hoạch đổi mới sáng tạo giai đoạn tới"
SIZES = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def staff(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True, first_name=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(browser, live_server, username, size):
    context = browser.new_context(locale="vi-VN", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/admin/")
    return context, page


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def newsroom(db, make_article, django_user_model):
    editor = staff(django_user_model, "bientap", "Biên tập viên")
    staff(django_user_model, "quantri", "Quản trị")
    staff(django_user_model, "gopy", "Tiếp nhận góp ý")
    for n in range(3):
        make_article(f"{LONG_TITLE} ({n + 1})", status=Article.Status.DRAFT, created_by=editor)
    make_article("Bài chờ duyệt của biên tập viên", status=Article.Status.PENDING, created_by=editor)
    for n in range(4):
        make_feedback(title=f"Hỏi về thủ tục đăng ký nhiệm vụ khoa học và công nghệ cấp tỉnh số {n + 1}")
    Feedback.objects.filter(pk=Feedback.objects.first().pk).update(created_at=timezone.now() - timedelta(days=40))
    OutgoingMail.objects.create(subject="Thư mời", to=["a@example.vn"], status=OutgoingMail.Status.FAILED)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_editor_home_and_article_list(browser, live_server, newsroom, screenshot, size):
    """An editor sees their drafts card, opens it, and reads the list; nothing technical."""
    context, page = log_in(browser, live_server, "bientap", size)
    card = page.locator('[data-card="news-my-drafts"]')
    expect(card).to_contain_text("Bài của tôi đang nháp")
    expect(card.locator(".portal-count")).to_have_text("3")
    expect(page.get_by_text("Lần đăng nhập sai")).to_have_count(0)
    assert no_sideways_scroll(page)
    screenshot(page, f"admin-home-editor-{size}")
    card.get_by_role("link").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    screenshot(page, f"admin-articles-{size}")
    if size == "desktop":
        title = page.locator("#result_list tbody tr").first.locator("th, td").first
        line = float(page.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 18", title.element_handle()))
        assert title.bounding_box()["height"] < 3 * line + 12  # at most two lines
        table = page.locator("#changelist .results").bounding_box()
        for column in ("td.field-publish_time", "td.field-updated"):  # the time columns are whole, in view
            box = page.locator("#result_list tbody tr").first.locator(column).bounding_box()
            assert box["x"] + box["width"] <= table["x"] + table["width"] + 1, column
    assert no_sideways_scroll(page)
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_administrator_home(browser, live_server, newsroom, screenshot, size):
    """The role "Quản trị" sees the failed e-mail card and the technical apps, after the task apps."""
    context, page = log_in(browser, live_server, "quantri", size)
    expect(page.locator('[data-card="mail-failed"] .portal-count')).to_have_text("1")
    expect(page.locator("#content-main").get_by_role("link", name="Lần đăng nhập sai")).to_be_visible()
    expect(page.locator("#content-main").get_by_role("link", name="Thiết bị xác thực hai bước")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot(page, f"admin-home-quantri-{size}")
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_feedback_list_fits(browser, live_server, newsroom, screenshot, size):
    """The feedback list's last column is within the page (not cut off on the right)."""
    context, page = log_in(browser, live_server, "gopy", size)
    expect(page.locator('[data-card="feedback"]')).to_contain_text("quá hạn trả lời")
    screenshot(page, f"admin-home-gopy-{size}")
    page.locator('[data-card="feedback"] a').first.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    screenshot(page, f"admin-feedback-{size}")
    assert no_sideways_scroll(page)
    if size == "desktop":
        last = page.locator("#result_list thead th").last.bounding_box()
        assert last["x"] + last["width"] <= 1366
    context.close()

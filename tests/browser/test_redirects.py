"""An editor keeps an old link working: adds a "Chuyển hướng" in the admin (a link to another site is refused,
nothing typed is lost), and a reader following the old link on a phone lands on the new page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from core.redirects import Redirect
from news.models import Article, Category
from tests.browser.staff import activate, add_staff, admin_page, new_context

OLD_LINK = "/tin-tuc/hoat-dong-cua-so/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023-1052.html"
TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"


def test_editor_adds_a_redirect_and_a_phone_follows_the_old_link(
    browser, live_server, settings, deliver_mail, screenshot
):
    settings.OTP_REQUIRED_FOR_STAFF = False
    category = Category.objects.create(name="Hoạt động của Sở", slug="hoat-dong-cua-so")
    article = Article.objects.create(
        title=TITLE,
        category=category,
        body="<p>Chiều 10/01/2023, Sở Khoa học và Công nghệ tổ chức Hội nghị công tác năm 2022.</p>",
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(hours=1),
    )
    admin = admin_page(browser, live_server)
    add_staff(admin, live_server, "Nguyễn Văn An", "an@sokhcn.gov.vn", "an.nguyen", ["Biên tập viên"])
    editor = activate(browser, live_server, deliver_mail, "an@sokhcn.gov.vn", "Hoa sen nở giữa hồ 2025")

    editor.goto(live_server.url + "/admin/core/redirect/")
    editor.get_by_role("link", name="Thêm vào chuyển hướng").click()
    editor.get_by_label("Đường dẫn cũ").fill("http://skhcn.tinh.gov.vn" + OLD_LINK)
    editor.get_by_label("Chuyển tới").fill("https://trang-la.example.com/bai-viet/")
    editor.get_by_label("Ghi chú").fill("Bài trên cổng cũ, được chia sẻ trên Zalo")
    editor.locator('input[name="_save"]').click()
    expect(editor.get_by_text("Chỉ được chuyển hướng tới một trang trong cổng thông tin này")).to_be_visible()
    expect(editor.get_by_label("Ghi chú")).to_have_value("Bài trên cổng cũ, được chia sẻ trên Zalo")
    screenshot(editor, "redirect-admin-refuses-other-site")

    editor.get_by_label("Chuyển tới").fill(article.get_absolute_url())
    editor.locator('input[name="_save"]').click()
    editor.wait_for_url(live_server.url + "/admin/core/redirect/")
    expect(editor.get_by_role("link", name=article.get_absolute_url(), exact=True)).to_be_visible()

    phone_context = new_context(browser, phone=True)
    reader = phone_context.new_page()
    reader.goto(live_server.url + OLD_LINK + "?utm_source=zalo")
    assert reader.url == live_server.url + article.get_absolute_url()
    expect(reader.get_by_role("heading", name=TITLE)).to_be_visible()
    screenshot(reader, "redirect-phone-lands-on-new-page")
    phone_context.close()

    assert Redirect.objects.get().hits == 1
    editor.reload()
    screenshot(editor, "redirect-admin-list")

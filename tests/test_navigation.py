"""Menus, agency links, banners, announcements and the footer's settings, as staff edit them and readers see them."""

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from navigation.models import Announcement, Banner, MenuItem, WebLink

pytestmark = pytest.mark.django_db


def menu_of(html):
    start = html.index('id="menu-list"')
    return html[start : html.index("</nav>", start)]


def footer_of(html):
    return html[html.index('class="site-footer"') :]


def png(color="red", size=(300, 100)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def staff(django_user_model, client):
    user = django_user_model.objects.create_superuser("quantri", "qt@example.vn", "mat-khau-dai-123")
    client.force_login(user)
    return client


def test_new_site_has_todays_menu_and_footer(client, article):
    """Out of the migration: Trang chủ, Giới thiệu, the menu's categories, Văn bản … and the footer links."""
    html = client.get("/").text
    menu = menu_of(html)
    for name, url in (
        ("Trang chủ", "/"),
        ("Giới thiệu", "/gioi-thieu/"),
        ("Văn bản", "/van-ban/"),
        ("Góp ý", "/gop-y/"),
    ):
        assert f'<a href="{url}">{name}</a>' in menu
    assert f'<a href="{article.category.get_absolute_url()}">{article.category.name}</a>' in menu
    assert 'href="/quyen-rieng-tu/"' in footer_of(html)


def test_an_added_item_shows_at_once_even_on_a_cached_page(client, article):
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    MenuItem.objects.create(menu="main", kind="internal", title="Lịch công tác", url="/lich-cong-tac/", position=15)
    assert '<a href="/lich-cong-tac/">Lịch công tác</a>' in menu_of(client.get("/").text)


def test_children_make_a_dropdown_and_external_links_are_marked_and_safe(client, article):
    top = MenuItem.objects.create(menu="main", kind="page", named_page="van-ban", position=5)
    MenuItem.objects.create(
        menu="main", parent=top, kind="internal", title="Công khai ngân sách", url="/cong-khai-ngan-sach/"
    )
    MenuItem.objects.create(
        menu="main", parent=top, kind="external", title="Dịch vụ công", url="https://dichvucong.gov.vn"
    )
    menu = menu_of(client.get("/").text)
    block = menu[menu.index('<li class="menu-item has-children">') :]
    assert '<a href="/van-ban/">Văn bản</a>' in block and '<ul class="submenu">' in block
    assert '<a href="/cong-khai-ngan-sach/">Công khai ngân sách</a>' in block
    assert re.search(
        r'<a href="https://dichvucong.gov.vn" class="external" rel="noopener noreferrer">Dịch vụ công', block
    )
    assert "(liên kết ngoài)" in block


def test_drafts_and_scheduled_items_stay_off_the_site(client, article):
    MenuItem.objects.create(menu="main", kind="internal", title="Nháp", url="/nhap/", status="draft")
    MenuItem.objects.create(
        menu="main", kind="internal", title="Sắp tới", url="/sap-toi/", publish_at=timezone.now() + timedelta(days=1)
    )
    menu = menu_of(client.get("/").text)
    assert "/nhap/" not in menu and "/sap-toi/" not in menu


def test_loops_and_third_levels_are_refused_in_vietnamese():
    a = MenuItem.objects.create(menu="main", kind="internal", title="A", url="/a/")
    b = MenuItem.objects.create(menu="main", kind="internal", title="B", url="/b/", parent=a)
    a.parent = b
    with pytest.raises(ValidationError) as loop:
        a.full_clean()
    assert "vòng lặp" in str(loop.value)
    a.refresh_from_db()
    c = MenuItem(menu="main", kind="internal", title="C", url="/c/", parent=b)
    with pytest.raises(ValidationError) as deep:
        c.full_clean()
    assert "hai cấp" in str(deep.value)


def test_bad_addresses_get_clear_messages():
    with pytest.raises(ValidationError) as internal:
        MenuItem(menu="main", kind="internal", title="X", url="lich-cong-tac").full_clean()
    assert "bắt đầu bằng “/”" in str(internal.value)
    with pytest.raises(ValidationError) as external:
        MenuItem(menu="main", kind="external", title="X", url="javascript:alert(1)").full_clean()
    assert "https://" in str(external.value)


def test_an_item_whose_category_is_deleted_is_hidden_and_flagged(client, staff, make_article, db):
    from django.contrib.contenttypes.models import ContentType

    from news.models import Category

    gone = Category.objects.create(name="Chuyên mục sẽ xóa", slug="se-xoa", in_menu=False)
    item = MenuItem.objects.create(
        menu="main", kind="object", content_type=ContentType.objects.get_for_model(Category), object_id=gone.pk
    )
    assert '<a href="/chuyen-muc/se-xoa/">Chuyên mục sẽ xóa</a>' in menu_of(staff.get("/").text)
    gone.delete()
    assert MenuItem.objects.filter(pk=item.pk).exists()
    assert staff.get("/").status_code == 200 and "/chuyen-muc/se-xoa/" not in menu_of(staff.get("/").text)
    changelist = staff.get(reverse("admin:navigation_menuitem_changelist")).text
    assert "Hỏng: nội dung đã bị xóa hoặc gỡ" in changelist


def test_admin_adds_an_item_and_refuses_a_third_level(staff):
    url = reverse("admin:navigation_menuitem_add")
    data = {
        "menu": "main",
        "kind": "internal",
        "title": "Video",
        "url": "/video/",
        "position": 90,
        "_wf_publish": "1",
    }
    data.update({"publish_at_0": timezone.localtime().strftime("%d/%m/%Y"), "publish_at_1": "00:00:00"})
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    top = MenuItem.objects.get(title="Video")
    assert top.status == "published" and '<a href="/video/">Video</a>' in menu_of(staff.get("/").text)
    child = MenuItem.objects.create(menu="main", kind="internal", title="Con", url="/con/", parent=top)
    response = staff.post(url, {**data, "title": "Cháu", "url": "/chau/", "parent": child.pk})
    assert response.status_code == 200
    assert "Menu chỉ có hai cấp" in response.text
    assert 'value="Cháu"' in response.text  # nothing typed is lost


def test_arrows_reorder(staff):
    MenuItem.objects.filter(menu="footer").delete()
    first = MenuItem.objects.create(menu="footer", kind="internal", title="Một", url="/1/", position=10)
    second = MenuItem.objects.create(menu="footer", kind="internal", title="Hai", url="/2/", position=20)
    staff.post(reverse("admin:navigation_menuitem_move", args=[second.pk, "up"]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position
    footer = footer_of(staff.get("/").text)
    assert footer.index("/2/") < footer.index("/1/")


def test_saving_a_new_item_as_a_draft_keeps_it_off_the_site(staff):
    """ "Lưu nháp" in the shared workflow: the item waits; readers do not see it."""
    data = {
        "menu": "main",
        "kind": "internal",
        "title": "Bản nháp",
        "url": "/ban-nhap/",
        "position": 5,
        "_wf_save": "1",
    }
    data.update({"publish_at_0": timezone.localtime().strftime("%d/%m/%Y"), "publish_at_1": "00:00:00"})
    assert staff.post(reverse("admin:navigation_menuitem_add"), data).status_code == 302
    assert MenuItem.objects.get(title="Bản nháp").status == "draft"
    staff.logout()
    assert "/ban-nhap/" not in menu_of(staff.get("/").text)


def test_preview_shows_drafts_to_staff(staff):
    MenuItem.objects.create(menu="main", kind="internal", title="Mục nháp", url="/nhap/", status="draft")
    assert "Mục nháp" in staff.get(reverse("admin:navigation_menuitem_preview")).text


def test_preview_says_when_a_menu_has_no_item(staff):
    MenuItem.objects.filter(menu="main").delete()
    MenuItem.objects.create(menu="footer", kind="internal", title="Mục cuối trang", url="/cuoi/", status="draft")
    page = staff.get(reverse("admin:navigation_menuitem_preview")).text
    main, footer = page.split("Liên kết cuối trang", 1)
    assert "Chưa có mục nào: bạn đọc không thấy menu này." in main
    assert "Mục cuối trang" in footer and "Chưa có mục nào" not in footer


def test_banner_needs_alt_text_and_leaves_after_its_end(client, staff, article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("admin:navigation_banner_add")
    now = timezone.localtime()
    data = {
        "place": "sidebar",
        "title": "Dịch vụ công",
        "alt_text": "",
        "url": "https://dichvucong.gov.vn",
        "publish_at_0": (now - timedelta(days=1)).strftime("%d/%m/%Y"),
        "publish_at_1": "00:00:00",
        "shown_until_0": (now - timedelta(days=2)).strftime("%d/%m/%Y"),
        "shown_until_1": "00:00:00",
        "position": 0,
        "_wf_publish": "1",
        "image": SimpleUploadedFile("b.png", png(), "image/png"),
    }
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "Hãy nhập mô tả ảnh" in response.text or "bắt buộc" in response.text
    assert "phải sau thời điểm" in response.text
    banner = Banner.objects.create(
        place="sidebar",
        title="DVC",
        alt_text="Cổng Dịch vụ công quốc gia",
        url="https://dichvucong.gov.vn",
        image=SimpleUploadedFile("b.png", png(), "image/png"),
        shown_until=timezone.now() + timedelta(days=1),
    )
    html = client.get(article.get_absolute_url()).text
    assert 'alt="Cổng Dịch vụ công quốc gia (liên kết ngoài)"' in html and 'rel="noopener noreferrer"' in html
    Banner.objects.filter(pk=banner.pk).update(shown_until=timezone.now() - timedelta(minutes=1))
    banner.save(update_fields=["position"])  # any save bumps the content version
    assert "Cổng Dịch vụ công quốc gia (liên kết ngoài)" not in client.get(article.get_absolute_url()).text


def test_announcements_leave_after_their_expiry(client, article):
    Announcement.objects.create(title="Thông báo còn hạn", shown_until=timezone.now() + timedelta(days=3))
    Announcement.objects.create(
        title="Thông báo hết hạn",
        publish_at=timezone.now() - timedelta(days=5),
        shown_until=timezone.now() - timedelta(days=1),
    )
    html = client.get("/").text
    assert "Thông báo còn hạn" in html and "Thông báo hết hạn" not in html


def test_agency_links_in_the_sidebar(client, article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    WebLink.objects.create(title="Bộ Khoa học và Công nghệ", url="https://www.most.gov.vn")
    link = WebLink.objects.get()
    html = client.get("/").text
    assert "Liên kết website" in html
    assert '<label for="web-link-choice">Chọn website liên kết</label>' in html
    assert f'<option value="{link.pk}">Bộ Khoa học và Công nghệ</option>' in html
    assert '<form class="link-box" method="get" action="/lien-ket/">' in html
    assert '<button type="submit">Đi</button>' in html
    assert 'href="/lien-ket/">Xem danh sách liên kết</a>' in html


def test_footer_shows_licence_copyright_and_source_notice(client, article):
    from pages.models import ContactInfo

    contact = ContactInfo.load()
    contact.name, contact.address, contact.phone, contact.email = "Sở", "Số 1", "0200 3826 789", "so@example.vn"
    contact.licence = "Giấy phép thiết lập trang thông tin điện tử tổng hợp số 12/GP-STTTT"
    contact.copyright = "© Bản quyền thuộc Sở Khoa học và Công nghệ"
    contact.source_notice = "Ghi rõ nguồn khi phát hành lại thông tin từ cổng thông tin này."
    contact.save()
    footer = footer_of(client.get("/").text)
    assert "Giấy phép thiết lập trang thông tin điện tử tổng hợp số 12/GP-STTTT" in footer
    assert "© Bản quyền thuộc Sở" in footer and "Ghi rõ nguồn" in footer


def test_the_frame_costs_no_query_once_warm(client, article, settings, django_assert_max_num_queries, tmp_path):
    """Menus, footer and blocks are fragments per content version: a rendered page after the first pays none."""
    settings.PAGE_CACHE_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    call_command("load_navigation_demo", stdout=io.StringIO())
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(8):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_demo_is_idempotent_and_fits_its_menu(client, article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_navigation_demo", stdout=io.StringIO())
    counts = (MenuItem.objects.count(), WebLink.objects.count(), Banner.objects.count(), Announcement.objects.count())
    call_command("load_navigation_demo", stdout=io.StringIO())
    assert counts == (
        MenuItem.objects.count(),
        WebLink.objects.count(),
        Banner.objects.count(),
        Announcement.objects.count(),
    )
    menu = menu_of(client.get("/").text)
    for url in (
        "/lich-cong-tac/",
        "/lay-y-kien/",
        "/cong-khai-ngan-sach/",
        "/nhiem-vu-khcn/",
        "/thu-vien-anh/",
        "/video/",
    ):
        assert f'href="{url}"' in menu
    assert menu.count('<li class="menu-item') <= 9


def test_the_frame_costs_a_fixed_number_of_queries_when_cold(client, article, settings, tmp_path):
    """Right after an edit (new content version, no fragment yet): the contact record, the two menus (with
    one query per kind of object pointed at), banners, announcements, new documents, links: at most 9."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    settings.MEDIA_ROOT = tmp_path
    call_command("load_navigation_demo", stdout=io.StringIO())
    url = article.get_absolute_url()
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    frame = [q for q in cold.captured_queries if q not in warm.captured_queries]
    assert len(cold) - len(warm) <= 10, [q["sql"][:80] for q in frame]
    assert len(warm) <= 4


# Menu order through review (navigation/ordering.py) --------------------------------------------------------


@pytest.fixture
def footer_items(db):
    MenuItem.objects.filter(menu="footer").delete()
    return [
        MenuItem.objects.create(menu="footer", kind="internal", title=title, url=url, position=position)
        for title, url, position in (("Một", "/1/", 10), ("Hai", "/2/", 20), ("Ba", "/3/", 30))
    ]


@pytest.fixture
def menu_editor(django_user_model, client):
    """Someone who may change menus but not publish them (no role has that yet: given by hand)."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "bien.tap", password="mat-khau-dai-123", is_staff=True, first_name="Trần Thị Lan"
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="navigation", codename__in=["change_menuitem", "view_menuitem"]
        )
    )
    client.force_login(user)
    return client


def footer_order(client):
    footer = footer_of(client.get("/").text)
    return sorted(("/1/", "/2/", "/3/"), key=footer.index)


def test_an_editors_arrows_wait_for_review(menu_editor, footer_items, client, django_user_model):
    """Lan moves "Hai" up: the site keeps its order, the list and preview show the new one, both items wait."""
    from django.contrib.admin.models import LogEntry

    from core import revisions
    from core.workflow.models import WorkingCopy

    one, two, three = footer_items
    response = menu_editor.post(reverse("admin:navigation_menuitem_move", args=[two.pk, "up"]), follow=True)
    assert "trong bản sửa đổi, chờ duyệt" in response.text
    assert MenuItem.objects.get(pk=two.pk).position == 20  # the live rows are untouched
    copies = {c.object_id: c for c in WorkingCopy.objects.all()}
    assert set(copies) == {one.pk, two.pk}
    assert {c.state for c in copies.values()} == {"pending"}
    assert copies[two.pk].data["position"] == 10 and copies[one.pk].data["position"] == 20
    assert footer_order(Client()) == ["/1/", "/2/", "/3/"]  # readers: as before

    preview = menu_editor.get(reverse("admin:navigation_menuitem_preview")).text
    footer = preview[preview.index("Liên kết cuối trang</h2>") :]
    assert footer.index("/2/") < footer.index("/1/") < footer.index("/3/")
    listing = menu_editor.get(reverse("admin:navigation_menuitem_changelist") + "?menu__exact=footer").text
    assert listing.index(">Hai<") < listing.index(">Một<") < listing.index(">Ba<")
    assert listing.count("<small>thứ tự mới</small>") == 2
    pending = menu_editor.get(reverse("admin:navigation_menuitem_changelist") + "?cho_duyet=1").text
    assert ">Hai<" in pending and ">Một<" in pending and ">Ba<" not in pending

    assert "Bản sửa đổi (chưa xuất bản)" in [v.revision.comment for v in revisions.history(two)]
    assert LogEntry.objects.filter(object_id=str(two.pk), change_message="Đổi thứ tự trên menu (chờ duyệt)").exists()


def test_a_publisher_approves_the_new_order(menu_editor, footer_items, staff):
    """The publisher opens each waiting item and presses "Duyệt & xuất bản": readers see the new order."""
    from core.workflow.models import WorkingCopy

    one, two, _three = footer_items
    menu_editor.post(reverse("admin:navigation_menuitem_move", args=[two.pk, "up"]))
    for item in (two, one):
        form = staff.get(reverse("admin:navigation_menuitem_change", args=[item.pk])).text
        token = re.search(r'name="wf_token" value="([^"]*)"', form).group(1)
        position = re.search(r'name="position" value="(\d+)"', form).group(1)
        data = {
            "menu": "footer",
            "kind": "internal",
            "title": item.title,
            "url": item.url,
            "position": position,
            "wf_token": token,
            "_wf_publish": "1",
        }
        data.update({"publish_at_0": timezone.localtime().strftime("%d/%m/%Y"), "publish_at_1": "00:00:00"})
        assert staff.post(reverse("admin:navigation_menuitem_change", args=[item.pk]), data).status_code == 302
    assert not WorkingCopy.objects.exists()
    staff.logout()
    assert footer_order(staff) == ["/2/", "/1/", "/3/"]


def test_a_publishers_arrows_apply_at_once_with_a_version_and_an_audit_entry(staff, footer_items, client):
    from django.contrib.admin.models import LogEntry

    from core import revisions

    _one, two, three = footer_items
    staff.post(reverse("admin:navigation_menuitem_move", args=[three.pk, "up"]))
    assert footer_order(Client()) == ["/1/", "/3/", "/2/"]
    comments = [v.revision.comment for v in revisions.history(three)]
    assert comments[0] == "Đổi thứ tự trên menu" and "Bản có từ trước" in comments
    assert revisions.history(two).first().revision.comment == "Đổi thứ tự trên menu"
    assert LogEntry.objects.filter(object_id=str(three.pk), change_message="Đổi thứ tự trên menu").count() == 1


def test_a_publishers_arrow_over_a_waiting_order_settles_it(menu_editor, staff, footer_items):
    """Lan proposed "Hai" first; the publisher then moves "Ba" up: the rows take the order as it will be, and the
    working copies that only carried the order are gone (nothing else waits)."""
    from core.workflow.models import WorkingCopy

    one, two, three = footer_items
    menu_editor.post(reverse("admin:navigation_menuitem_move", args=[two.pk, "up"]))
    staff.post(reverse("admin:navigation_menuitem_move", args=[three.pk, "up"]))
    assert footer_order(Client()) == ["/2/", "/3/", "/1/"]
    assert not WorkingCopy.objects.exists()


def test_arrows_at_the_ends_and_bad_directions_change_nothing(menu_editor, footer_items):
    from core.workflow.models import WorkingCopy

    one, _two, three = footer_items
    menu_editor.post(reverse("admin:navigation_menuitem_move", args=[one.pk, "up"]))
    menu_editor.post(reverse("admin:navigation_menuitem_move", args=[three.pk, "down"]))
    menu_editor.post(reverse("admin:navigation_menuitem_move", args=[one.pk, "sideways"]))
    assert menu_editor.get(reverse("admin:navigation_menuitem_move", args=[one.pk, "down"])).status_code == 302
    assert not WorkingCopy.objects.exists()
    assert list(MenuItem.objects.filter(menu="footer").values_list("position", flat=True)) == [10, 20, 30]


# "Liên kết website": /lien-ket/ (navigation/views.py) -------------------------------------------------------


@pytest.fixture
def agencies(db):
    return {
        "most": WebLink.objects.create(title="Bộ Khoa học và Công nghệ", url="https://www.most.gov.vn", position=1),
        "draft": WebLink.objects.create(
            title="Sở chưa công bố", url="https://chua-cong-bo.example.vn", status=WebLink.Status.DRAFT
        ),
        "later": WebLink.objects.create(
            title="Sở sắp có", url="https://sap-co.example.vn", publish_at=timezone.now() + timedelta(days=2)
        ),
    }


def test_go_leads_to_a_published_link_only(client, agencies):
    """An instant refresh to the link's address (a 302 would be blocked by the form-action policy: views.py)."""
    response = client.get("/lien-ket/", {"id": agencies["most"].pk})
    assert response.status_code == 200
    assert '<meta http-equiv="refresh" content="0; url=https://www.most.gov.vn">' in response.text
    assert '<a class="button" href="https://www.most.gov.vn" rel="noopener">' in response.text
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Robots-Tag"] == "noindex" and "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "given",
    ["999999", "-1", "abc", "https://evil.example", "//evil.example", "1 OR 1=1", "1.5", "9" * 40],
)
def test_unknown_ids_never_lead_off_site(client, agencies, given):
    response = client.get("/lien-ket/", {"id": given})
    assert response.status_code == 404
    assert not response.has_header("Location") and 'http-equiv="refresh"' not in response.text
    assert "Không tìm thấy liên kết bạn chọn" in response.text
    assert "Bộ Khoa học và Công nghệ" in response.text  # the list, to choose again


def test_withdrawn_and_scheduled_links_lead_nowhere(client, agencies):
    for name in ("draft", "later"):
        response = client.get("/lien-ket/", {"id": agencies[name].pk})
        assert response.status_code == 404 and "Không tìm thấy liên kết bạn chọn" in response.text
        assert agencies[name].title not in response.text
    agencies["most"].status = WebLink.Status.DRAFT
    agencies["most"].save()
    assert client.get("/lien-ket/", {"id": agencies["most"].pk}).status_code == 404  # taken down: at once


def counted(url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.pagecache import forget_content_version

    forget_content_version()
    Client().get(url)  # (the sidebar's fragments, the content type cache)
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    return response, len(queries.captured_queries)


def test_links_page_lists_them_plainly_and_go_without_a_choice_asks(client, agencies):
    """A fixed number of queries however many links; a plain list of the published ones."""
    page, few = counted("/lien-ket/")
    for number in range(10):
        WebLink.objects.create(title=f"Sở số {number}", url=f"https://so{number}.example.vn")
    _page, many = counted("/lien-ket/")
    assert many == few
    assert page.status_code == 200
    assert '<h1 class="page-title" id="web-links-page-title">Liên kết website</h1>' in page.text
    assert '<a href="https://www.most.gov.vn" class="external" rel="noopener noreferrer">' in page.text
    assert "Sở chưa công bố" not in page.text and "Sở sắp có" not in page.text
    # The page's own choice only: the sidebar's "Liên kết website" box would repeat it.
    assert page.text.count('name="id"') == 1 and 'id="web-links-title"' not in page.text
    assert 'id="web-links-title"' in client.get("/gioi-thieu/").text  # still in the sidebar elsewhere
    empty = client.get("/lien-ket/", {"id": ""})
    assert empty.status_code == 200 and "Hãy chọn một website trong danh sách." in empty.text


def test_a_link_stored_with_another_scheme_leads_nowhere(client, db):
    """Only http(s) is ever led to, whatever got into the table (the admin form refuses the rest)."""
    odd = WebLink.objects.create(title="Tệp nội bộ", url="ftp://files.example.vn/")
    response = client.get("/lien-ket/", {"id": odd.pk})
    assert response.status_code == 404 and 'http-equiv="refresh"' not in response.text

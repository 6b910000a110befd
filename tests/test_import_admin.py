"""The import in the admin ("Trang đã chuyển từ cổng cũ"): IT staff see what came from where, the pages that
could not be read first with the reason, links to the new article, and how to run the import again;
nobody adds, changes or deletes rows there."""

import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from news.models import Article, ImportedPage

FIXTURES = Path(__file__).parent / "fixtures" / "old_portal"
SEED_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"
SEED_URL = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
LIST = reverse("admin:news_importedpage_changelist")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def imported(db):
    out = StringIO()
    call_command(
        "import_site",
        "--folder",
        str(FIXTURES / "site"),
        "--publish",
        "--rules",
        str(FIXTURES / "rules.toml"),
        "--no-progress",
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def it_staff(db, django_user_model):
    user = django_user_model.objects.create_user(username="quantri", password="mat-khau-123", is_staff=True)
    user.groups.add(Group.objects.get(name="Quản trị"))
    return user


def rows(html):
    """The list's rows as plain text, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [unescape(re.sub(r"<[^>]+>", " ", row)) for row in body.split("<tr")[1:]]


@pytest.mark.django_db
def test_it_staff_see_failed_pages_first_with_the_reason_and_imported_pages_with_links(client, imported, it_staff):
    client.force_login(it_staff)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    listed = rows(html)
    failed = ImportedPage.objects.filter(outcome="failed").count()
    assert failed == 6 and len(listed) == ImportedPage.objects.count()
    assert all("Không nhập được" in row for row in listed[:failed])  # the failed pages come first
    assert not any("Không nhập được" in row for row in listed[failed:])
    list_page = next(row for row in listed if "hoat-dong-cua-so.html" in row)
    assert "trang danh sách, không phải bài viết" in list_page  # the reason, readable in the row
    missing_photo = next(row for row in listed if "nghiem-thu-de-tai-1071.html" in row)
    assert "nghiem-thu.jpg không có trong thư mục đã lưu" in missing_photo

    seed = Article.objects.get(title=SEED_TITLE)
    record = ImportedPage.objects.get(article=seed)
    assert f'href="{record.old_url}"' in html  # the old address, a link
    assert f'href="{SEED_URL}"' in html and "Xem trên cổng" in html  # the public page
    # IT staff do not edit articles: no link into the articles' admin for them.
    assert reverse("admin:news_article_change", args=[seed.pk]) not in html
    seed_row = next(row for row in html.split("<tr") if SEED_TITLE in row)
    assert '<td class="field-image_count">2</td>' in seed_row  # its two photos
    assert client.get(SEED_URL).status_code == 200


@pytest.mark.django_db
def test_filters_search_and_the_article_admin_link_for_those_who_may_open_it(admin_client, imported):
    failed = admin_client.get(LIST, {"outcome__exact": "failed"}).content.decode()
    assert len(rows(failed)) == 6 and SEED_TITLE not in failed
    found = admin_client.get(LIST, {"q": "triển khai nhiệm vụ"}).content.decode()
    assert len(rows(found)) == 1 and SEED_TITLE in found
    by_url = admin_client.get(LIST, {"q": "bai-viet-da-xoa-9999"}).content.decode()
    assert len(rows(by_url)) == 1 and "404" in by_url
    run = ImportedPage.objects.values_list("run", flat=True).first()
    assert run.split(" · ")[1].startswith("manage.py import_site --folder ")
    assert run.split(" · ")[0] in failed  # the run filter names it by when it began
    assert len(rows(admin_client.get(LIST, {"run": run}).content.decode())) == ImportedPage.objects.count()
    seed = Article.objects.get(title=SEED_TITLE)
    assert reverse("admin:news_article_change", args=[seed.pk]) in found


@pytest.mark.django_db
def test_read_only_and_the_action_shows_the_command_to_run_again(client, imported, it_staff):
    client.force_login(it_staff)
    record = ImportedPage.objects.filter(outcome="failed").first()
    assert client.get(reverse("admin:news_importedpage_add")).status_code == 403
    detail = client.get(reverse("admin:news_importedpage_change", args=[record.pk]))
    assert detail.status_code == 200 and record.error in unescape(detail.content.decode())
    assert 'name="_save"' not in detail.content.decode()
    deleted = client.post(reverse("admin:news_importedpage_delete", args=[record.pk]), {"post": "yes"})
    assert deleted.status_code == 403 and ImportedPage.objects.filter(pk=record.pk).exists()
    response = client.post(LIST, {"action": "show_rerun_command", "_selected_action": [record.pk]}, follow=True)
    page = unescape(response.content.decode())
    assert "chạy lại lệnh nhập" in page
    assert f"<code>python manage.py import_site --folder {FIXTURES / 'site'}" in page
    assert "--publish --rules" in page


@pytest.mark.django_db
def test_editors_do_not_see_the_import(client, editor, imported):
    client.force_login(editor)
    assert client.get(LIST).status_code == 403

"""manage.py load_state_demo (documents and procedures) and load_pages_demo (the Department's pages,
contact details and leaders): realistic content, twice over."""

from django.core.management import call_command

from documents.models import Document, DocumentFile, Procedure
from documents.search import DocumentSearch
from pages.models import ContactInfo, Leader, Page


def test_load_state_demo_is_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_state_demo", verbosity=0)
    counts = (Document.objects.count(), DocumentFile.objects.count(), Procedure.objects.count())
    call_command("load_state_demo", verbosity=0)
    assert (Document.objects.count(), DocumentFile.objects.count(), Procedure.objects.count()) == counts
    assert Document.objects.published().count() >= 12
    assert Procedure.objects.published().count() >= 10
    seed = Document.objects.get(number="12/2023/QĐ-UBND")
    assert seed.type_name == "Quyết định" and "quản lý nhiệm vụ khoa học và công nghệ" in seed.summary
    assert seed.files.get().file.read(5) == b"%PDF-"
    found = DocumentSearch("quyet dinh khoa hoc").apply(Document.objects.published().with_validity())
    assert seed in found
    # Every validity shows up at least once.
    validities = {d.current_validity for d in Document.objects.with_validity()}
    assert {"con-hieu-luc", "het-hieu-luc", "chua-co-hieu-luc", "het-hieu-luc-mot-phan"} <= validities
    assert not Leader.objects.exists()  # the pages' demo is the pages app's own command


def test_load_pages_demo_is_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_pages_demo", verbosity=0)
    counts = (Page.objects.count(), Leader.objects.count())
    call_command("load_pages_demo", verbosity=0)
    assert (Page.objects.count(), Leader.objects.count()) == counts
    for page in Page.objects.all():
        assert page.body and page.body_en and page.title_en
    assert all(leader.photo for leader in Leader.objects.all()) and Leader.objects.count() == 3
    assert Leader.objects.first().photo.read(3) == b"\xff\xd8\xff"  # a JPEG portrait
    assert ContactInfo.load().focal_name
    assert not Document.objects.exists()


def test_demo_keeps_what_editors_wrote(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    page.body = "<p>Nội dung do biên tập viên viết.</p>"
    page.save()
    call_command("load_pages_demo", verbosity=0)
    page.refresh_from_db()
    assert page.body == "<p>Nội dung do biên tập viên viết.</p>" and page.body_en

"""Legal documents: validity from dates, the number and word search, filters, pages, feed, sitemap."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from documents.models import Document, DocumentFile, DocumentType, Field, IssuingBody, Validity, derived_validity
from documents.search import DocumentSearch, number_key

SITE = "http://127.0.0.1:8000"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def kinds(db):
    return {
        "qd": DocumentType.objects.get(name="Quyết định"),
        "cv": DocumentType.objects.get(name="Công văn"),
        "kh": DocumentType.objects.get(name="Kế hoạch"),
    }


@pytest.fixture
def ubnd(db):
    return IssuingBody.objects.create(name="Ủy ban nhân dân tỉnh")


@pytest.fixture
def sokhcn(db):
    return IssuingBody.objects.create(name="Sở Khoa học và Công nghệ")


@pytest.fixture
def science(db):
    return Field.objects.create(name="Hoạt động khoa học và công nghệ")


@pytest.fixture
def make_document(kinds, ubnd):
    def make(number, summary="Văn bản mẫu", *, kind="qd", issuer=None, fields=(), published=True, **extra):
        extra.setdefault("issued_on", date(2023, 3, 15))
        document = Document.objects.create(
            doc_type=kinds[kind],
            number=number,
            issuer=issuer or ubnd,
            summary=summary,
            is_published=published,
            **extra,
        )
        document.fields.set(fields)
        return document

    return make


@pytest.fixture
def register(make_document, science, sokhcn):
    """The seed decision and a few neighbours with similar numbers and words."""
    return {
        "seed": make_document(
            "12/2023/QĐ-UBND",
            "Ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh",
            fields=[science],
            signer="Nguyễn Văn Hùng",
            effective_on=date(2023, 3, 25),
        ),
        "other_year": make_document("12/2022/QĐ-UBND", "Quy định về quản lý chợ", issued_on=date(2022, 5, 2)),
        "letter": make_document(
            "1234/UBND-KGVX", "Về việc triển khai Chương trình phát triển tài sản trí tuệ", kind="cv"
        ),
        "plan": make_document(
            "45/KH-SKHCN",
            "Kế hoạch kiểm tra nhà nước về tiêu chuẩn, đo lường, chất lượng năm 2024",
            kind="kh",
            issuer=sokhcn,
            issued_on=date(2024, 1, 10),
        ),
        "draft": make_document("99/2023/QĐ-UBND", "Dự thảo quyết định khoa học chưa công bố", published=False),
    }


def found(text):
    search = DocumentSearch(text)
    return [d.number for d in search.apply(Document.objects.published().with_validity())]


# Validity -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("effective", "expires", "expected"),
    [
        (date(2030, 1, 1), None, Validity.NOT_YET),  # effective date in the future
        (date(2020, 1, 1), date(2021, 1, 1), Validity.EXPIRED),  # expiry date past
        (date(2020, 1, 1), date(2030, 1, 1), Validity.IN_FORCE),
        (None, None, Validity.IN_FORCE),  # in force from the issue date
        (date(2020, 1, 1), date(2024, 6, 1), Validity.EXPIRED),  # the expiry date itself: no longer applies
    ],
)
def test_validity_derived_from_dates(make_document, effective, expires, expected):
    """Model property and SQL annotation agree, for a fixed "today"."""
    today = date(2024, 6, 1)
    assert derived_validity(effective, expires, today) == expected
    document = make_document("1/2020/QĐ-UBND", issued_on=date(2019, 12, 1), effective_on=effective, expires_on=expires)
    assert document.validity_on(today) == expected
    annotated = Document.objects.with_validity(today).get(pk=document.pk)
    assert annotated.current_validity == expected


def test_validity_today_and_manual_override(make_document):
    today = timezone.localdate()
    future = make_document(
        "2/2024/QĐ-UBND", issued_on=today - timedelta(days=3), effective_on=today + timedelta(days=5)
    )
    expired = make_document("3/2019/QĐ-UBND", issued_on=date(2019, 1, 1), expires_on=today - timedelta(days=1))
    current = make_document("4/2023/QĐ-UBND")
    assert future.validity == Validity.NOT_YET
    assert expired.validity == Validity.EXPIRED
    assert current.validity == Validity.IN_FORCE
    current.validity_override = Validity.PARTLY_EXPIRED
    current.save()
    assert current.validity == Validity.PARTLY_EXPIRED
    assert Document.objects.with_validity().get(pk=current.pk).current_validity == Validity.PARTLY_EXPIRED
    # The override wins over the dates too.
    expired.validity_override = Validity.IN_FORCE
    expired.save()
    assert Document.objects.with_validity().get(pk=expired.pk).validity == Validity.IN_FORCE


def test_expiry_must_follow_effective_date(make_document, kinds, ubnd):
    """The admin form says so in Vietnamese; the database refuses it anyway."""
    from django.db import IntegrityError

    from documents.forms import DocumentAdminForm

    form = DocumentAdminForm(
        data={
            "doc_type": kinds["qd"].pk,
            "number": "5/2024/QĐ-UBND",
            "issuer": ubnd.pk,
            "summary": "Thử",
            "issued_on": "2024-01-10",
            "effective_on": "2024-02-01",
            "expires_on": "2024-01-20",
        }
    )
    assert not form.is_valid()
    assert "Ngày hết hiệu lực phải sau ngày có hiệu lực." in form.errors["expires_on"]
    with pytest.raises(IntegrityError):
        make_document("6/2024/QĐ-UBND", issued_on=date(2024, 1, 10), expires_on=date(2024, 1, 1))


# Search -----------------------------------------------------------------------------------------------


def test_number_key_matches_the_database_twin(db):
    """Reader input is folded in Python exactly as PostgreSQL folds the stored numbers."""
    samples = ["12/2023/QĐ-UBND", "12/2023/qd-ubnd", " 1234/UBND–KGVX ", "Số 05/KH-SKHCN", "QĐ"]
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT btrim(regexp_replace(vn_unaccent_text(%s), '[^a-z0-9]+', '-', 'g'), '-')", [text])
            assert number_key(text) == cursor.fetchone()[0], text
    assert number_key("12/2023/QĐ-UBND") == "12-2023-qd-ubnd"


@pytest.mark.parametrize(
    "query",
    ["12/2023/qd-ubnd", "12/2023/QĐ-UBND", "12/2023/qđ-ubnd", " 12/2023/QD-UBND ", "12 / 2023 / QĐ-UBND"],
)
def test_search_by_number_with_or_without_accents(register, query):
    """Only the seed decision has this number; the 2022 one with the same ordinal is not it."""
    assert found(query) == ["12/2023/QĐ-UBND"]


def test_search_by_part_of_a_number(register):
    assert set(found("12/2023")) == {"12/2023/QĐ-UBND"}
    assert set(found("QĐ-UBND")) == {"12/2023/QĐ-UBND", "12/2022/QĐ-UBND"}
    assert found("1234/UBND") == ["1234/UBND-KGVX"]


@pytest.mark.parametrize(
    "query", ["quyet dinh khoa hoc", "Quyết định khoa học", "QUYẾT ĐỊNH KHOA HỌC", "quản ly nhiem vu"]
)
def test_search_by_type_and_summary_words_accent_insensitive(register, query):
    """The type's name counts as words of the document: "quyết định" + words of the summary."""
    results = found(query)
    assert results[0] == "12/2023/QĐ-UBND"
    assert "99/2023/QĐ-UBND" not in results  # not published


def test_mixed_number_and_words(register):
    assert found("quyết định 12/2023") == ["12/2023/QĐ-UBND"]
    assert found("kế hoạch 45/KH") == ["45/KH-SKHCN"]
    assert found("tiêu chuẩn 12/2023") == []


def test_exact_number_ranks_before_longer_numbers(make_document):
    make_document("112/2023/QĐ-UBND", "Khác")
    make_document("12/2023/QĐ-UBND", "Đúng số")
    assert found("12/2023/qd-ubnd") == ["12/2023/QĐ-UBND", "112/2023/QĐ-UBND"]


def test_list_page_search_highlights_and_counts(client, register):
    html = client.get(reverse("documents:list"), {"q": "12/2023/qd-ubnd"}).content.decode()
    assert "Tìm thấy 1 văn bản phù hợp." in html
    assert "<mark>12/2023/QĐ-UBND</mark>" in html
    html = client.get(reverse("documents:list"), {"q": "quyet dinh khoa hoc"}).content.decode()
    assert "<mark>khoa học</mark>" in html or "<mark>khoa</mark>" in html
    assert "Dự thảo" not in html


def test_search_input_is_escaped_and_checked(client, register):
    response = client.get(reverse("documents:list"), {"q": '<script>alert(1)</script>"'})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    too_long = client.get(reverse("documents:list"), {"q": "x" * 300}).content.decode()
    assert "Từ khóa dài quá 200 ký tự" in too_long


# Filters and list ------------------------------------------------------------------------------------


def test_list_newest_first_and_only_published(client, register):
    html = client.get(reverse("documents:list")).content.decode()
    order = [html.index(f"số {n}</a>") for n in ("45/KH-SKHCN", "12/2023/QĐ-UBND", "12/2022/QĐ-UBND")]
    assert order == sorted(order)
    assert "99/2023/QĐ-UBND" not in html
    assert "Có 4 văn bản" in html


def test_filters(client, register, science, sokhcn):
    url = reverse("documents:list")

    def numbers(**params):
        html = client.get(url, params).content.decode()
        return {d.number for d in Document.objects.all() if f"số {d.number}</a>" in html}

    assert numbers(loai="cong-van") == {"1234/UBND-KGVX"}
    assert numbers(co_quan=sokhcn.slug) == {"45/KH-SKHCN"}
    assert numbers(linh_vuc=science.slug) == {"12/2023/QĐ-UBND"}
    assert numbers(nam="2022") == {"12/2022/QĐ-UBND"}
    assert numbers(nam="2023", loai="quyet-dinh") == {"12/2023/QĐ-UBND"}
    assert numbers(hieu_luc="con-hieu-luc", q="quy định") == {"12/2023/QĐ-UBND", "12/2022/QĐ-UBND"}


def test_validity_filter(client, make_document):
    today = timezone.localdate()
    make_document("1/2019/QĐ-UBND", issued_on=date(2019, 1, 1), expires_on=today - timedelta(days=30))
    make_document("2/2023/QĐ-UBND")
    make_document("3/2026/QĐ-UBND", issued_on=today - timedelta(days=2), effective_on=today + timedelta(days=10))
    url = reverse("documents:list")
    assert "1/2019/QĐ-UBND" in client.get(url, {"hieu_luc": "het-hieu-luc"}).content.decode()
    not_yet = client.get(url, {"hieu_luc": "chua-co-hieu-luc"}).content.decode()
    assert "số 3/2026/QĐ-UBND</a>" in not_yet and "số 2/2023/QĐ-UBND</a>" not in not_yet
    assert "Chưa có hiệu lực" in not_yet


def test_bad_filters_get_vietnamese_messages_and_keep_the_rest(client, register):
    html = client.get(reverse("documents:list"), {"nam": "1850", "loai": "khong-co", "q": "khoa hoc"}).content.decode()
    assert "Chưa có văn bản nào ban hành năm này" in html
    assert "Loại văn bản này không có trong danh sách." in html
    assert "số 12/2023/QĐ-UBND</a>" in html  # the valid search still ran


def test_list_pagination_keeps_filters(client, make_document):
    for n in range(25):
        make_document(
            f"{n + 1}/2023/QĐ-UBND", "Quyết định về khoa học", issued_on=date(2023, 1, 1) + timedelta(days=n)
        )
    html = client.get(reverse("documents:list"), {"q": "khoa hoc"}).content.decode()
    assert "Trang 1 / 2" in html and "q=khoa+hoc&amp;page=2" in html
    assert client.get(reverse("documents:list"), {"q": "khoa hoc", "page": "2"}).status_code == 200


@pytest.mark.parametrize("params", [{}, {"q": "khoa hoc", "loai": "quyet-dinh", "nam": "2023"}])
def test_list_query_count_is_fixed(client, make_document, science, params, django_assert_max_num_queries):
    for n in range(15):
        document = make_document(f"{n + 1}/2023/QĐ-UBND", "Quyết định về khoa học", fields=[science])
        DocumentFile.objects.create(document=document, title="Toàn văn", file=f"attachments/van-ban/x{n}.pdf")
    url = reverse("documents:list")
    client.get(url, params)  # warm the menu cache
    with django_assert_max_num_queries(10):
        assert client.get(url, params).status_code == 200


# Detail, feed, sitemap ------------------------------------------------------------------------------


def test_detail_has_metadata_and_downloads(client, register, science):
    seed = register["seed"]
    DocumentFile.objects.create(document=seed, title="Toàn văn quyết định", file="attachments/van-ban/qd.pdf")
    assert seed.slug == "12-2023-qd-ubnd"
    response = client.get(seed.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Quyết định số 12/2023/QĐ-UBND" in html
    for label, value in [
        ("Số ký hiệu", "12/2023/QĐ-UBND"),
        ("Cơ quan ban hành", "Ủy ban nhân dân tỉnh"),
        ("Người ký", "Nguyễn Văn Hùng"),
        ("Ngày ban hành", "15/03/2023"),
        ("Ngày có hiệu lực", "25/03/2023"),
        ("Tình trạng hiệu lực", "Còn hiệu lực"),
        ("Lĩnh vực", science.name),
    ]:
        assert f'<th scope="row">{label}</th>' in html and value in html
    assert 'href="/media/attachments/van-ban/qd.pdf" download>Toàn văn quyết định</a>' in html


def test_unpublished_is_404_but_staff_preview(client, register, publisher):
    draft = register["draft"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(publisher)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Xem trước" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_slug_frozen_once_published(register):
    seed = register["seed"]
    seed.number = "12/2023/QĐ-UBND (sửa)"
    seed.slug = ""
    seed.save()
    assert seed.slug == "12-2023-qd-ubnd"


def test_rss_is_valid_rss_with_newest_documents(client, register):
    response = client.get(reverse("documents:rss"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert [i.findtext("link") for i in items][0] == f"{SITE}/van-ban/45-kh-skhcn/"
    titles = [i.findtext("title") for i in items]
    assert any(t.startswith("Quyết định số 12/2023/QĐ-UBND: Ban hành Quy định") for t in titles)
    assert all("99/2023" not in t for t in titles)
    assert root.findtext("channel/link") == f"{SITE}/van-ban/"


def test_sitemap_lists_published_documents(client, register):
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    locations = {u.findtext("s:loc", namespaces=NS) for u in root.findall("s:url", NS)}
    assert f"{SITE}/van-ban/12-2023-qd-ubnd/" in locations
    assert f"{SITE}{register['draft'].get_absolute_url()}" not in locations
    index = ET.fromstring(client.get("/sitemap-index.xml").content)  # noqa: S314
    sections = [s.findtext("s:loc", namespaces=NS) for s in index.findall("s:sitemap", NS)]
    assert f"{SITE}/sitemap-van-ban.xml" in sections
    section = ET.fromstring(client.get("/sitemap-van-ban.xml").content)  # noqa: S314
    assert len(section.findall("s:url", NS)) == 4


def test_sitemap_counts_every_section_in_one_query(client, register, django_assert_max_num_queries):
    """Content version, one COUNT for all sections, then the rows of each non-empty section."""
    with django_assert_max_num_queries(5):
        client.get("/sitemap.xml")


def test_cached_detail_changes_when_the_document_does(client, register):
    seed = register["seed"]
    url = seed.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"
    seed.summary = "Trích yếu đã sửa"
    seed.save()
    response = client.get(url)
    assert "X-Cache" not in response and "Trích yếu đã sửa" in response.content.decode()
    client.get(url)
    seed.fields.clear()  # a many-to-many change bumps the version too
    assert "X-Cache" not in client.get(url)


def test_list_with_filters_is_never_served_from_the_page_cache(client, register):
    url = reverse("documents:list")
    client.get(url)
    assert "X-Cache" not in client.get(url, {"q": "12/2023"})
    assert "Tìm thấy 1 văn bản" in client.get(url, {"q": "12/2023"}).content.decode()


def test_renaming_a_type_renames_its_documents_in_search(register, kinds):
    kinds["qd"].name = "Quyết định hành chính"
    kinds["qd"].save()
    assert Document.objects.get(pk=register["seed"].pk).type_name == "Quyết định hành chính"
    assert "12/2023/QĐ-UBND" in found("hanh chinh khoa hoc")


def test_admin_search_by_number_and_words(client, register, publisher):
    client.force_login(publisher)
    url = reverse("admin:documents_document_changelist")
    html = client.get(url, {"q": "12/2023/qd"}).content.decode()
    assert "12/2023/QĐ-UBND" in html and "1234/UBND-KGVX" not in html
    html = client.get(url, {"q": "tai san tri"}).content.decode()
    assert "1234/UBND-KGVX" in html


def test_editor_cannot_publish_a_document(client, editor, kinds, ubnd):
    client.force_login(editor)
    response = client.post(
        reverse("admin:documents_document_add"),
        {
            "doc_type": kinds["qd"].pk,
            "number": "7/2024/QĐ-UBND",
            "issuer": ubnd.pk,
            "summary": "Biên tập viên nhập",
            "issued_on": "10/01/2024",
            "is_published": "on",
            "files-TOTAL_FORMS": "0",
            "files-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(number="7/2024/QĐ-UBND")
    assert not document.is_published and document.created_by == editor


# Administrative procedures ----------------------------------------------------------------------------


@pytest.fixture
def procedures(science, db):
    from documents.models import Procedure

    radiation = Field.objects.create(name="An toàn bức xạ và hạt nhân", position=2)
    portal = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc="
    return [
        Procedure.objects.create(
            code="1.004495",
            name="Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
            field=science,
            url=portal + "1.004495",
            processing_time="05 ngày làm việc",
        ),
        Procedure.objects.create(
            code="1.001129",
            name="Cấp giấy phép tiến hành công việc bức xạ",
            field=radiation,
            url=portal + "1.001129",
            online="mot-phan",
        ),
        Procedure.objects.create(
            code="2.000001", name="Thủ tục cấp huyện", field=science, level="huyen", url=portal + "2.000001"
        ),
        Procedure.objects.create(
            code="9.999999", name="Thủ tục đã bãi bỏ", field=science, url=portal + "9", is_published=False
        ),
    ]


def test_procedures_list_grouped_by_field_with_links(client, procedures, science):
    html = client.get(reverse("documents:procedures")).content.decode()
    assert "3 thủ tục." in html
    assert html.index(science.name) < html.index("An toàn bức xạ và hạt nhân")
    assert (
        'href="https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.004495"' in html
    )
    assert "05 ngày làm việc" in html and "Dịch vụ công trực tuyến một phần" in html
    assert "Thủ tục đã bãi bỏ" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "buc xa"}, {"1.001129"}),
        ({"q": "BỨC XẠ"}, {"1.001129"}),
        ({"q": "1.004495"}, {"1.004495"}),
        ({"q": "004495"}, {"1.004495"}),
        ({"q": "dang ky ket qua"}, {"1.004495"}),
        ({"cap": "huyen"}, {"2.000001"}),
        ({"linh_vuc": "an-toan-buc-xa-va-hat-nhan"}, {"1.001129"}),
    ],
)
def test_procedure_search_and_filters(client, procedures, params, expected):
    html = client.get(reverse("documents:procedures"), params).content.decode()
    shown = {p.code for p in procedures if f"<dd>{p.code}</dd>" in html}
    assert shown == expected


@pytest.mark.parametrize(
    "url",
    [
        "admin:documents_document_changelist",
        "admin:documents_document_add",
        "admin:documents_procedure_changelist",
        "admin:documents_procedure_add",
        "admin:documents_documenttype_changelist",
        "admin:documents_issuingbody_changelist",
        "admin:documents_field_changelist",
        "admin:pages_page_changelist",
        "admin:pages_leader_changelist",
        "admin:pages_leader_add",
        "admin:rating_rating_changelist",
    ],
)
def test_admin_pages_open(admin_client, register, procedures, url):
    assert admin_client.get(reverse(url)).status_code == 200


def test_admin_filters_by_validity_and_contact_is_one_form(admin_client, register):
    html = admin_client.get(reverse("admin:documents_document_changelist"), {"hieu_luc": "con-hieu-luc"}).content
    assert "12/2023/QĐ-UBND" in html.decode()
    response = admin_client.get(reverse("admin:pages_contactinfo_changelist"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:pages_contactinfo_change", args=[1])
    assert admin_client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"page": "999999999999999999999"},
        {"page": "-1"},
        {"nam": "abc"},
        {"nam": "2023\x00"},
        {"q": "\x00\x1b[31m"},
        {"q": "'; DROP TABLE documents_document; --"},
        {"q": "12/2023/QĐ-UBND" * 20},
        {"loai": "../../etc/passwd"},
        {"hieu_luc": "<script>"},
        {"q": "-"},
        {"q": '""'},
        {"q": "/ / /"},
    ],
)
def test_hostile_parameters_never_fail(client, register, procedures, params):
    for url in (reverse("documents:list"), reverse("documents:procedures")):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</head>")[1].replace("<script src=", "")

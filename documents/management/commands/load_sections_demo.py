"""Demo content for the document groups with their own pages: "Công khai ngân sách" and "Nhiệm vụ KH&CN"
(documents.sections). Illustrative documents with one-page PDFs; the years follow the day it is loaded.

Idempotent: a document is found again by its number and issuer; what an editor changed is kept (only an
empty group is filled in)."""

from datetime import date

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.slugs import vn_slugify
from documents.management.commands.load_state_demo import document_pdf
from documents.models import Document, DocumentFile, DocumentType, Field, IssuingBody, Section

DEPARTMENT = "Sở Khoa học và Công nghệ"
SIGNER = "Trần Minh Quang"
TASKS_FIELD = "Hoạt động khoa học và công nghệ"


def rows(today):
    """(section, type, number, issued, summary)."""
    year = today.year
    return [
        (
            Section.BUDGET,
            "Quyết định",
            f"15/QĐ-SKHCN-{year}",
            date(year, 1, 12),
            f"Công bố công khai dự toán ngân sách nhà nước năm {year} của Sở Khoa học và Công nghệ",
        ),
        (
            Section.BUDGET,
            "Báo cáo",
            f"48/BC-SKHCN-{year}",
            date(year, 4, 15),
            f"Công khai tình hình thực hiện dự toán ngân sách nhà nước quý I năm {year}",
        ),
        (
            Section.BUDGET,
            "Quyết định",
            f"210/QĐ-SKHCN-{year - 1}",
            date(year - 1, 8, 20),
            f"Công bố công khai quyết toán ngân sách nhà nước năm {year - 2} của Sở Khoa học và Công nghệ",
        ),
        (
            Section.BUDGET,
            "Quyết định",
            f"12/QĐ-SKHCN-{year - 1}",
            date(year - 1, 1, 10),
            f"Công bố công khai dự toán ngân sách nhà nước năm {year - 1} của Sở Khoa học và Công nghệ",
        ),
        (
            Section.TASK_CALLS,
            "Thông báo",
            f"95/TB-SKHCN-{year}",
            date(year, 3, 18),
            f"Đặt hàng nhiệm vụ khoa học và công nghệ cấp tỉnh thực hiện từ năm {year + 1}",
        ),
        (
            Section.TASK_CALLS,
            "Thông báo",
            f"130/TB-SKHCN-{year}",
            date(year, 6, 5),
            f"Tuyển chọn tổ chức, cá nhân chủ trì thực hiện nhiệm vụ khoa học và công nghệ cấp tỉnh năm {year + 1}: "
            "ứng dụng công nghệ số trong quản lý chất lượng nông sản",
        ),
        (
            Section.TASK_RESULTS,
            "Quyết định",
            f"305/QĐ-SKHCN-{year - 1}",
            date(year - 1, 11, 25),
            "Công nhận kết quả thực hiện nhiệm vụ: Nghiên cứu ứng dụng công nghệ IoT giám sát môi trường ao nuôi tôm "
            "thẻ chân trắng",
        ),
        (
            Section.TASK_RESULTS,
            "Thông báo",
            f"60/TB-SKHCN-{year}",
            date(year, 5, 8),
            "Kết quả đánh giá, nghiệm thu nhiệm vụ: Tuyển chọn và phát triển giống lúa chất lượng cao thích ứng "
            "biến đổi khí hậu",
        ),
    ]


class Command(BaseCommand):
    help = "Load demo documents for Công khai ngân sách and Nhiệm vụ KH&CN (idempotent)."

    def handle(self, *args, **options):
        created = 0
        with transaction.atomic():
            issuer = self.named(IssuingBody, DEPARTMENT)
            field = self.named(Field, TASKS_FIELD)
            for section, type_name, number, issued, summary in rows(timezone.localdate()):
                doc_type = self.named(DocumentType, type_name)
                document = Document.objects.filter(number=number, issuer=issuer).first()
                if document is None:
                    document = Document.objects.create(
                        doc_type=doc_type,
                        number=number,
                        issuer=issuer,
                        signer=SIGNER,
                        issued_on=issued,
                        summary=summary,
                        section=section,
                        is_published=True,
                    )
                    if section != Section.BUDGET:
                        document.fields.set([field])
                    created += 1
                if not document.files.exists():
                    pdf = document_pdf(type_name, number, DEPARTMENT, summary, issued, SIGNER)
                    DocumentFile.objects.create(
                        document=document,
                        title=f"{type_name} {number}",
                        file=ContentFile(pdf, name=f"{document.slug}.pdf"),
                    )
        self.stdout.write(self.style.SUCCESS(f"Sections demo ready: {created} new documents."))

    @staticmethod
    def named(model, name):
        item = model.objects.filter(name=name).first()
        return item or model.objects.create(name=name, slug=vn_slugify(name, max_length=120), position=50)

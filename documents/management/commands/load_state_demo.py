"""Demo content for what a state portal must also publish: legal documents with their files (one-page
PDFs drawn with Pillow, nothing downloaded) and administrative procedures. The Department's pages and
leaders have their own demo: `manage.py load_pages_demo` (pages app).

Idempotent: run it twice and nothing is duplicated; what an editor has already written is kept.
"""

import io

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from core.fonts import font
from core.slugs import vn_slugify
from documents.demo import AGENCY, FIELDS, ISSUERS, PORTAL, PROCEDURES, documents
from documents.models import Document, DocumentFile, DocumentType, Field, IssuingBody, Procedure


def wrap(draw, text, typeface, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=typeface) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def document_pdf(doc_type, number, issuer, summary, issued_on, signer):
    """A one-page A4 PDF that looks like a Vietnamese administrative document (illustrative content)."""
    page = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(page)
    small, normal, bold, title = font(15), font(17), font(17, bold=True), font(24, bold=True)
    draw.text((60, 60), issuer.upper(), font=bold, fill=0)
    draw.text((60, 88), f"Số: {number}", font=normal, fill=0)
    draw.text((450, 60), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=small, fill=0)
    draw.text((480, 84), "Độc lập - Tự do - Hạnh phúc", font=bold, fill=0)
    draw.text((480, 120), f"Ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on:%Y}", font=small, fill=0)
    y = 220
    heading = doc_type.upper()
    draw.text(((827 - draw.textlength(heading, font=title)) / 2, y), heading, font=title, fill=0)
    y += 50
    for line in wrap(draw, summary, bold, 640):
        draw.text(((827 - draw.textlength(line, font=bold)) / 2, y), line, font=bold, fill=0)
        y += 28
    y += 40
    body = (
        "Văn bản mẫu dùng để trình diễn cổng thông tin điện tử. Nội dung đầy đủ của văn bản được đăng "
        "tải tại đây dưới dạng tệp PDF để người dân, doanh nghiệp tải về và tra cứu."
    )
    for line in wrap(draw, body, normal, 700):
        draw.text((60, y), line, font=normal, fill=0)
        y += 28
    draw.text((520, y + 80), signer, font=bold, fill=0)
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=100.0)
    return out.getvalue()


class Command(BaseCommand):
    help = "Load demo legal documents and administrative procedures (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            issuers = {name: self.named(IssuingBody, name, position) for position, name in enumerate(ISSUERS, 1)}
            fields = {name: self.named(Field, name, position) for position, name in enumerate(FIELDS, 1)}
            created = self.load_documents(issuers, fields)
            self.load_procedures(fields)
        self.stdout.write(
            self.style.SUCCESS(
                f"State demo ready: {Document.objects.count()} documents ({created} new), "
                f"{Procedure.objects.count()} procedures."
            )
        )

    @staticmethod
    def named(model, name, position):
        item = model.objects.filter(name=name).first()
        if item is None:
            item = model.objects.create(name=name, slug=vn_slugify(name, max_length=120), position=position)
        return item

    def load_documents(self, issuers, fields):
        created = 0
        for row in documents(timezone.localdate()):
            type_name, number, issuer, signer, issued, effective, expires, override, summary, field_names = row
            doc_type = DocumentType.objects.filter(name=type_name).first() or self.named(DocumentType, type_name, 50)
            document = Document.objects.filter(number=number, issuer=issuers[issuer]).first()
            if document is None:
                document = Document.objects.create(
                    doc_type=doc_type,
                    number=number,
                    issuer=issuers[issuer],
                    signer=signer,
                    issued_on=issued,
                    effective_on=effective,
                    expires_on=expires,
                    validity_override=override,
                    summary=summary,
                    is_published=True,
                )
                document.fields.set([fields[name] for name in field_names])
                created += 1
            if not document.files.exists():
                pdf = document_pdf(type_name, number, issuer, summary, issued, signer)
                DocumentFile.objects.create(
                    document=document,
                    title=f"{type_name} {number}",
                    file=ContentFile(pdf, name=f"{document.slug}.pdf"),
                )
        return created

    def load_procedures(self, fields):
        for code, name, field, level, online, time_limit, fee in PROCEDURES:
            Procedure.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "field": fields[field],
                    "level": level,
                    "online": online,
                    "agency": AGENCY,
                    "processing_time": time_limit,
                    "fee": fee,
                    "url": PORTAL + code,
                },
            )

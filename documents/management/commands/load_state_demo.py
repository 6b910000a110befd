"""Demo content for what a state portal must also publish: legal documents with their files,
administrative procedures, the Giới thiệu / Liên hệ pages in Vietnamese and English, and the
leadership with placeholder portraits (drawn with Pillow, nothing downloaded).

Idempotent: run it twice and nothing is duplicated; text an editor has already written is kept.
"""

import io
import random
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from core.slugs import vn_slugify
from documents.demo import AGENCY, FIELDS, ISSUERS, PORTAL, PROCEDURES, documents
from documents.models import Document, DocumentFile, DocumentType, Field, IssuingBody, Procedure
from pages import demo as page_demo
from pages.models import ContactInfo, Leader, Page

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
PALETTE = [(11, 77, 140), (8, 58, 107), (20, 110, 90), (120, 70, 150), (176, 32, 40)]


def font(size, bold=False):
    """DejaVu when installed (it has every Vietnamese letter), else Pillow's own font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


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


def portrait(seed, name):
    """A placeholder portrait: a coloured background, a head-and-shoulders silhouette and the initials."""
    rnd = random.Random(seed)
    top, bottom = rnd.sample(PALETTE, 2)
    width, height = 480, 600
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    light = (232, 238, 245)
    draw.ellipse([width / 2 - 95, 120, width / 2 + 95, 330], fill=light)
    draw.rounded_rectangle([width / 2 - 190, 360, width / 2 + 190, height + 80], radius=150, fill=light)
    initials = "".join(part[0] for part in name.split()[-2:]).upper()
    typeface = font(64, bold=True)
    text_width = draw.textlength(initials, font=typeface)
    draw.text(((width - text_width) / 2, 470), initials, font=typeface, fill=top)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


class Command(BaseCommand):
    help = "Load demo legal documents, procedures and the Department's pages (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            issuers = {name: self.named(IssuingBody, name, position) for position, name in enumerate(ISSUERS, 1)}
            fields = {name: self.named(Field, name, position) for position, name in enumerate(FIELDS, 1)}
            created = self.load_documents(issuers, fields)
            self.load_procedures(fields)
            self.load_pages()
            self.load_leaders()
        self.stdout.write(
            self.style.SUCCESS(
                f"State demo ready: {Document.objects.count()} documents ({created} new), "
                f"{Procedure.objects.count()} procedures, {Leader.objects.count()} leaders, pages in vi and en."
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

    def load_pages(self):
        texts = {
            Page.Kind.ABOUT: (
                "Giới thiệu",
                page_demo.ABOUT_SUMMARY,
                page_demo.ABOUT_BODY,
                "About us",
                page_demo.ABOUT_SUMMARY_EN,
                page_demo.ABOUT_BODY_EN,
            ),
            Page.Kind.CONTACT: (
                "Liên hệ",
                page_demo.CONTACT_SUMMARY,
                page_demo.CONTACT_BODY,
                "Contact",
                page_demo.CONTACT_SUMMARY_EN,
                page_demo.CONTACT_BODY_EN,
            ),
        }
        for kind, (title, summary, body, title_en, summary_en, body_en) in texts.items():
            page, _ = Page.objects.get_or_create(kind=kind, defaults={"title": title})
            changed = False
            for name, value in (
                ("summary", summary),
                ("body", body),
                ("title_en", title_en),
                ("summary_en", summary_en),
                ("body_en", body_en),
            ):
                if not getattr(page, name):
                    setattr(page, name, value.strip())
                    changed = True
            if changed:
                page.save()
        contact = ContactInfo.load()
        changed = False
        for name, value in page_demo.CONTACT.items():
            if not getattr(contact, name):
                setattr(contact, name, value)
                changed = True
        if changed or contact._state.adding:
            contact.save()

    def load_leaders(self):
        for position, (name, title, title_en, duties, duties_en, phone, email) in enumerate(page_demo.LEADERS, 1):
            leader, _ = Leader.objects.get_or_create(
                name=name,
                defaults={
                    "title": title,
                    "title_en": title_en,
                    "duties": duties,
                    "duties_en": duties_en,
                    "phone": phone,
                    "email": email,
                    "position": position,
                },
            )
            if not leader.photo:
                leader.photo.save(f"{vn_slugify(name)}.jpg", ContentFile(portrait(position, name)), save=True)

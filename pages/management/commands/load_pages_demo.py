"""Demo content of the Department's pages: Giới thiệu / Liên hệ in Vietnamese and English, the contact
details and the leadership with placeholder portraits (drawn with Pillow, nothing downloaded).

Idempotent: run it twice and nothing is duplicated; text an editor has already written is kept.
"""

import io
import random

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image, ImageDraw

from core.fonts import font
from core.slugs import vn_slugify
from pages import demo, site_demo
from pages.models import ContactInfo, Leader, Page

PALETTE = [(11, 77, 140), (8, 58, 107), (20, 110, 90), (120, 70, 150), (176, 32, 40)]


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
    help = "Load the Department's demo pages in Vietnamese and English, contact details and leaders (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.load_pages()
            self.load_leaders()
        self.stdout.write(
            self.style.SUCCESS(f"Pages demo ready: {Leader.objects.count()} leaders, pages in vi and en.")
        )

    def load_pages(self):
        texts = {
            Page.Kind.ABOUT: (
                "Giới thiệu",
                demo.ABOUT_SUMMARY,
                demo.ABOUT_BODY,
                "About us",
                demo.ABOUT_SUMMARY_EN,
                demo.ABOUT_BODY_EN,
            ),
            Page.Kind.CONTACT: (
                "Liên hệ",
                demo.CONTACT_SUMMARY,
                demo.CONTACT_BODY,
                "Contact",
                demo.CONTACT_SUMMARY_EN,
                demo.CONTACT_BODY_EN,
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
        for name, value in demo.CONTACT.items():
            if not getattr(contact, name):
                setattr(contact, name, value)
                changed = True
        changed = site_demo.load(contact) or changed  # licence, copyright, placeholder emblem (the footer)
        if changed or contact._state.adding:
            contact.save()

    def load_leaders(self):
        for position, (name, title, title_en, duties, duties_en, phone, email) in enumerate(demo.LEADERS, 1):
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

"""Demo content: the old site's menu, its article "Sở Khoa học và Công nghệ triển khai nhiệm vụ
năm 2023", some thirty more articles, and, with --articles N, N generated ones for load tests.

Idempotent: run it twice and nothing is duplicated.
"""

import io
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw

from core.sanitize import html_to_text
from news.demo.content import ARTICLES, CATEGORIES, SENTENCES
from news.models import Article, Category

SEED_SLUG = "so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023"
SEED_VIEWS = 207
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PALETTE = [(11, 77, 140), (176, 32, 40), (20, 110, 90), (120, 70, 150), (200, 120, 20), (40, 90, 160)]


def demo_image(seed: int, size=(1200, 675)) -> ContentFile:
    """A generated photo stand-in: a gradient with simple shapes (no network, no stock photos)."""
    rnd = random.Random(seed)
    top, bottom = rnd.sample(PALETTE, 2)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):
        t = y / size[1]
        draw.line([(0, y), (size[0], y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for _ in range(6):
        x, y, r = rnd.randint(0, size[0]), rnd.randint(0, size[1]), rnd.randint(40, 220)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 255, 255), width=3)
    # An atom-like emblem in the middle, like the site's placeholder.
    cx, cy = size[0] // 2, size[1] // 2
    for box in ([cx - 260, cy - 80, cx + 260, cy + 80], [cx - 80, cy - 260, cx + 80, cy + 260]):
        draw.ellipse(box, outline=(255, 255, 255), width=4)
    draw.ellipse([cx - 22, cy - 22, cx + 22, cy + 22], fill=(255, 210, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82)
    return ContentFile(out.getvalue(), name=f"demo-{seed}.jpg")


class Command(BaseCommand):
    help = "Load the demo content (idempotent). --articles N adds N generated articles for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=0, help="generate this many extra articles")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when articles already exist")

    def handle(self, *args, **options):
        if options["if_empty"] and Article.objects.exists():
            self.stdout.write("Demo content already there; nothing to do.")
            return
        with transaction.atomic():
            categories = self.load_categories()
            seed = self.load_seed_article(categories)
            self.load_articles(categories)
        self.after_seed(seed)
        if options["articles"]:
            self.generate(options["articles"], categories)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {Category.objects.count()} categories, {Article.objects.count()} articles."
            )
        )

    def after_seed(self, seed):
        """The old site's view counter for the seed article (the stats app keeps counts)."""
        try:
            from stats.services import set_initial_views
        except ImportError:
            return
        set_initial_views(seed.pk, SEED_VIEWS)

    def load_categories(self):
        categories = {}
        for name, slug, position, children in CATEGORIES:
            parent, _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position, "in_menu": True}
            )
            categories[slug] = parent
            for index, (child_name, child_slug) in enumerate(children, start=1):
                categories[child_slug], _ = Category.objects.get_or_create(
                    slug=child_slug,
                    defaults={"name": child_name, "parent": parent, "position": index, "in_menu": True},
                )
        return categories

    def load_seed_article(self, categories):
        existing = Article.objects.filter(slug=SEED_SLUG).first()
        if existing:
            return existing
        data = json.loads((Path(__file__).resolve().parents[2] / "demo" / "seed_article.json").read_text("utf-8"))
        captions = set(data["captions"])
        parts = []
        images = 0
        for paragraph in data["paragraphs"]:
            if paragraph in captions:
                images += 1
                image = demo_image(seed=1000 + images)
                from django.core.files.storage import default_storage

                name = default_storage.save(f"editor/demo/hoi-nghi-{images}.jpg", image)
                parts.append(
                    f'<figure class="image"><img src="{default_storage.url(name)}" alt="{escape(paragraph)}">'
                    f"<figcaption>{escape(paragraph)}</figcaption></figure>"
                )
            else:
                parts.append(f"<p>{escape(paragraph)}</p>")
        article = Article(
            title=data["title"],
            slug=SEED_SLUG,
            category=categories["hoat-dong-cua-so"],
            summary=(
                "Chiều 10/01/2023, Sở KH&CN tổ chức Hội nghị công tác năm 2022, triển khai kế hoạch công tác "
                "KH&CN và đổi mới sáng tạo năm 2023."
            ),
            body="\n".join(parts),
            author=data["author"],
            status=Article.Status.PUBLISHED,
            publish_at=datetime(2023, 1, 10, 14, 0, tzinfo=VN),
            featured=True,
            cover_caption="Các đại biểu dự Hội nghị",
            cover_alt="Toàn cảnh Hội nghị công tác năm 2022 của Sở Khoa học và Công nghệ",
        )
        article.cover.save("hoi-nghi-cong-tac-2023.jpg", demo_image(seed=1000), save=False)
        article.save()
        return article

    def load_articles(self, categories):
        now = timezone.now()
        for index, (cat_slug, title, summary, author) in enumerate(ARTICLES):
            if Article.objects.filter(title=title).exists():
                continue
            rnd = random.Random(index)
            body = "".join(f"<p>{escape(' '.join(rnd.sample(SENTENCES, 3)))}</p>" for _ in range(5))
            article = Article(
                title=title,
                category=categories[cat_slug],
                summary=summary,
                body=f"<p>{escape(summary)}</p>{body}",
                author=author,
                status=Article.Status.PUBLISHED,
                publish_at=now - timedelta(days=index * 3 + 1, hours=index),
                featured=index < 4,
            )
            if index % 3 != 2:  # some articles have no cover: they get the designed placeholder
                article.cover.save(f"demo-{index}.jpg", demo_image(seed=index), save=False)
            article.save()

    def generate(self, count, categories):
        """Bulk-generate articles for load and scale work (100,000 in a few minutes)."""
        already = Article.objects.filter(slug__startswith="tin-tong-hop-").count()
        leaves = list(categories.values())
        topics = [title for _, title, _, _ in ARTICLES]
        now = timezone.now()
        batch = []
        rnd = random.Random(42)
        for number in range(already + 1, already + count + 1):
            title = f"{rnd.choice(topics)} (bản tin số {number})"
            paragraphs = [" ".join(rnd.sample(SENTENCES, 3)) for _ in range(4)]
            body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            batch.append(
                Article(
                    title=title,
                    slug=f"tin-tong-hop-{number}",
                    category=rnd.choice(leaves),
                    summary=paragraphs[0][:200],
                    body=body,
                    body_text=html_to_text(body),
                    author=rnd.choice(["Dương Liễu", "Minh Châu", "Thu Hà", "Quang Huy", "Văn Nam"]),
                    status=Article.Status.PUBLISHED,
                    publish_at=now - timedelta(days=400) - timedelta(minutes=number * 7),
                )
            )
            if len(batch) == 5000:
                Article.objects.bulk_create(batch)
                batch = []
                self.stdout.write(f"  … {number - already} / {count}")
        if batch:
            Article.objects.bulk_create(batch)

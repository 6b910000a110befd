"""The import itself: each old page read, checked, and written in its own transaction.

For every page, in a worker thread without the database: read it from the source, decode
(news.importer.decoding), extract (news.importer.extract), fetch its images and files from the same source
and validate them like uploads (news.importer.images, core.files); a new page's first photo (its cover)
is stored with its three renditions there too. Then, in the writing thread, in one transaction: the media
items, the article (new, updated, or an existing one matched by title and day), its attachments, its
starting view count (stats), its redirects from every old address (core.redirects.keep, one statement)
and its ImportedPage row. A page that fails anywhere leaves nothing behind (the files it stored are
removed again) and is listed in the report with the reason.

Where the time goes, and why it is split so: docs/performance.md, "Importing the old portal".

A second run compares each page's fingerprint with the one stored: the same page changes nothing; a
changed page updates its article, unless staff have edited that article since (then it is kept, and
said so).
"""

import csv
import hashlib
import io
import sys
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import lxml.html
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from imagekit.cachefiles.backends import CacheFileState
from lxml import etree
from PIL import Image
from tqdm import tqdm

from core import redirects
from core.files import validate_attachment
from core.images import safe_filename
from core.models import MediaItem
from core.slugs import unique_slug, vn_slugify
from stats.services import set_initial_views

from ..models import Article, Attachment, Category, ImportedPage
from .dates import UnreadableDate
from .decoding import decode
from .extract import NotArticle, extract
from .images import ImageChecker
from .sources import FetchError

STATUSES = {"publish": Article.Status.PUBLISHED, "review": Article.Status.PENDING, "draft": Article.Status.DRAFT}
LABELS = {
    "created": "tạo mới",
    "updated": "cập nhật",
    "linked": "gắn với bài có sẵn",
    "unchanged": "không đổi",
    "kept": "giữ bản đã sửa",
    "failed": "bỏ qua",
}


def cover_renditions(name):
    cover = Article(cover=name)
    return cover.cover_400, cover.cover_800, cover.cover_1200


def remove_stored(names):
    """Files stored for a page whose transaction rolled back (or for a photo the library turned out to have),
    with the renditions imagekit made of them (CACHE/images/<name without extension>/…, and imagekit's
    cached "it exists", so a later file of the same name gets its own): nothing of it stays behind."""
    for name in names:
        default_storage.delete(name)
        for rendition in cover_renditions(name):
            rendition.cachefile_backend.set_state(rendition, CacheFileState.DOES_NOT_EXIST)
        renditions = "CACHE/images/" + name.rsplit(".", 1)[0]
        try:
            _dirs, files = default_storage.listdir(renditions)
        except (FileNotFoundError, NotImplementedError):
            continue
        for file in files:
            default_storage.delete(f"{renditions}/{file}")


class PageFailed(Exception):
    """This page cannot be imported; the message says why, in Vietnamese."""


@dataclass
class Media:
    url: str
    kind: str  # MediaItem.Kind
    label: str  # caption (images) or link text (files)
    upload: object = None  # validated SimpleUploadedFile, when it must be stored
    item_id: int | None = None  # an item already in the library
    sent_hash: str = ""  # SHA-256 of the bytes as the old site sent them (the library's re-upload check)
    stored: str = ""  # a new page's cover candidate, stored (with its renditions) by the worker thread
    kept: bool = False  # that file became a library item (otherwise it is removed again)


@dataclass
class Prepared:
    """A page as a worker thread leaves it for the writing thread."""

    page: object
    found: object = None
    fingerprint: str = ""
    media: list | None = None  # None: not gathered (the page looked unchanged)
    error: str = ""


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)  # [(url, reason)]
    warnings: list = field(default_factory=list)  # [(url, message)]
    rows: list = field(default_factory=list)  # [(url, outcome, new url or reason)]
    seconds: float = 0.0

    def summary(self):
        done = ", ".join(f"{LABELS[k]} {self.counts[k]}" for k in LABELS if self.counts[k])
        return f"{sum(self.counts.values())} trang trong {self.seconds:.1f} giây: {done or 'không có trang nào'}."

    def write_csv(self, path):
        with open(path, "w", newline="", encoding="utf-8-sig") as stream:
            writer = csv.writer(stream)
            writer.writerow(["địa chỉ cũ", "kết quả", "địa chỉ mới hoặc lý do"])
            writer.writerows(self.rows)


class Importer:
    def __init__(self, source, rules, *, status="draft", dry_run=False, user=None, skip_missing_media=False, out=None):
        self.source = source
        self.rules = rules
        self.status = STATUSES[status]
        self.dry_run = dry_run
        self.user = user
        self.skip_missing_media = skip_missing_media
        self.out = out or sys.stdout
        self.report = Report()
        self.categories = {}  # name → Category, for this run
        self.media_seen = {}  # old media URL → MediaItem id, for this run
        self.max_page_bytes = int(float(rules.get("import", {}).get("max_page_mb", 2)) * 1024 * 1024)
        self.run_label = self.describe_run(status)

    def describe_run(self, status):
        """This run as ImportedPage.run shows it: when it began, and the command that runs it again."""
        command = f"manage.py import_site {getattr(self.source, 'arguments', '')} --{status}"
        if self.rules.get("file"):
            command += f" --rules {self.rules['file']}"
        if self.skip_missing_media:
            command += " --skip-missing-media"
        return f"{timezone.localtime():%d/%m/%Y %H:%M} · {command}"[:500]

    # -------------------------------------------------------------------------------------------
    def run(self, progress=True, workers=2):
        """Import every page of the source. `workers` threads read, extract and fetch the next pages, have
        their photos checked (each thread by its own long-lived image worker) and store new covers with
        their renditions, while this thread writes, one page at a time, in order; only this thread uses
        the database."""
        started = time.monotonic()
        self.known_hashes = dict(
            ImportedPage.objects.filter(article__isnull=False).values_list("old_url", "content_hash")
        )
        self.recorded = set(ImportedPage.objects.values_list("old_url", flat=True))  # no lookup for new pages
        self.known_sha256 = set(MediaItem.objects.exclude(sha256="").values_list("sha256", flat=True))
        bar = tqdm(
            total=self.source.count(), unit=" trang", desc="Nhập trang cũ", file=sys.stderr, disable=not progress
        )
        window = deque()
        self.images = ImageChecker()
        try:
            with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="import_site") as pool:
                for page in self.source.pages():
                    window.append(pool.submit(self.prepare, page))
                    if len(window) > 2 * workers:
                        self.one(window.popleft().result(), bar)
                while window:
                    self.one(window.popleft().result(), bar)
        finally:
            self.images.close()
        bar.close()
        self.report.seconds = time.monotonic() - started
        return self.report

    def one(self, prepared, bar):
        try:
            outcome, detail = self.import_page(prepared)
        except PageFailed as error:
            self.fail(prepared.page.url, str(error))
        else:
            self.report.counts[outcome] += 1
            self.report.rows.append((prepared.page.url, LABELS[outcome], detail))
        finally:
            remove_stored([m.stored for m in prepared.media or () if m.stored and not m.kept])
        bar.set_postfix(
            mới=self.report.counts["created"],
            gắn=self.report.counts["linked"],
            bỏ_qua=self.report.counts["failed"],
            refresh=False,
        )
        bar.update()

    def fail(self, url, reason):
        self.report.counts["failed"] += 1
        self.report.failures.append((url, reason))
        self.report.rows.append((url, LABELS["failed"], reason))
        if self.dry_run:
            self.say(f"[bỏ qua] {url}: {reason}")
            return
        ImportedPage.objects.update_or_create(
            old_url=url, defaults={"outcome": ImportedPage.Outcome.FAILED, "error": reason, "run": self.run_label}
        )
        self.recorded.add(url)

    def say(self, line):
        tqdm.write(line, file=self.out)

    # -------------------------------------------------------------------------------------------
    def prepare(self, page):
        """In a worker thread, without the database: the page read and extracted, its media fetched and
        checked (unless the page is unchanged, or a medium is already in the library)."""
        prepared = Prepared(page)
        try:
            prepared.found = self.read(page.read())
            prepared.fingerprint = prepared.found.fingerprint()
            if self.known_hashes.get(prepared.found.url) != prepared.fingerprint:
                prepared.media = self.gather_media(prepared.found, page.url)
                if prepared.found.url not in self.known_hashes and not self.dry_run:
                    self.store_cover(prepared.media)
        except PageFailed as error:
            prepared.error = str(error)
        except Exception as error:  # noqa: BLE001 — one page must not stop the import; it is reported
            prepared.error = f"lỗi không lường trước khi đọc trang: {type(error).__name__}: {error}"
        return prepared

    def read(self, page):
        if page.error:
            raise PageFailed(page.error)
        if len(page.data) > self.max_page_bytes:
            raise PageFailed(
                f"trang quá lớn ({len(page.data) / 1048576:.1f} MB, tối đa {self.max_page_bytes / 1048576:.0f} MB)"
            )
        text, _encoding = decode(page.data, page.content_type)
        try:
            return extract(text, page.url, self.rules)
        except (NotArticle, UnreadableDate) as error:
            raise PageFailed(str(error)) from error
        except (ValueError, etree.ParserError) as error:
            raise PageFailed(f"không đọc được HTML của trang ({error})") from error

    def import_page(self, prepared):
        if prepared.error:
            raise PageFailed(prepared.error)
        page, found, fingerprint = prepared.page, prepared.found, prepared.fingerprint
        known = None
        if found.url in self.recorded:
            known = ImportedPage.objects.filter(old_url=found.url).select_related("article").first()
        if known and known.article_id and known.content_hash == fingerprint:
            if self.dry_run:
                self.say(f"[không đổi] {found.title}")
            return "unchanged", known.article.get_absolute_url()
        if known and known.article_id and known.outcome != ImportedPage.Outcome.LINKED:
            edited = known.article.updated_at > known.last_run_at + timedelta(seconds=5)
            if edited:
                self.report.warnings.append(
                    (found.url, "trang cũ đã đổi nhưng bài trên cổng mới đã được sửa sau lần nhập trước: giữ nguyên")
                )
                return "kept", known.article.get_absolute_url()

        existing = None if known and known.article_id else self.match_existing(found)
        if prepared.media is None:  # the page changed after the run began reading: read its media now
            prepared.media = self.gather_media(found, page.url)
        media = self.resolve_media(prepared.media, known)

        if self.dry_run:
            return self.describe(found, known, existing, media)
        stored = []
        try:
            with transaction.atomic():
                outcome, article = self.write(page, found, known, existing, media, fingerprint, stored)
        except (DatabaseError, ValidationError, OSError) as error:
            remove_stored(stored)
            raise PageFailed(f"lỗi khi ghi vào cơ sở dữ liệu: {error}") from error
        return outcome, article.get_absolute_url()

    def match_existing(self, found):
        """An article already on the portal with the same title, published the same day (Vietnam time)."""
        local_day = timezone.localtime(found.publish_at).date()
        return (
            Article.objects.filter(title__iexact=found.title, publish_at__date=local_day)
            .exclude(imported_pages__isnull=False)
            .order_by("id")
            .first()
        )

    def gather_media(self, found, page_url):
        """The page's images and files, fetched and checked like uploads (nothing stored yet). A file whose
        bytes the library already has is not checked again."""
        wanted = [(url, MediaItem.Kind.IMAGE, caption) for url, caption in found.images]
        wanted += [(url, MediaItem.Kind.DOCUMENT, text) for url, text in found.files]
        media = []
        for url, kind, label in wanted:
            what = "ảnh" if kind == MediaItem.Kind.IMAGE else "tệp"
            try:
                data, _content_type = self.source.fetch(url)
                sent_hash = hashlib.sha256(data).hexdigest()
                if sent_hash in self.known_sha256:
                    media.append(Media(url, kind, label, sent_hash=sent_hash))
                    continue
                name = urlsplit(url).path.rsplit("/", 1)[-1] or "tep"
                upload = SimpleUploadedFile(name, data)
                if kind == MediaItem.Kind.IMAGE:
                    upload = self.images.clean(data, name)
                else:
                    validate_attachment(upload)
                    extension = name.rsplit(".", 1)[-1].lower()
                    upload = SimpleUploadedFile(safe_filename(name, extension), data)
            except (FetchError, ValidationError) as error:
                reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                message = f"{what} {url} {reason}"
                if not self.skip_missing_media:
                    raise PageFailed(message + " (thêm --skip-missing-media để nhập bài không có nó)") from error
                self.report.warnings.append((page_url, message))
                continue
            media.append(Media(url, kind, label, upload=upload, sent_hash=sent_hash))
        return media

    def resolve_media(self, media, known):
        """Media already in the library (by the earlier run's record, or by their bytes) become those items."""
        reused = (known.media if known else {}) or {}
        for entry in media:
            item_id = self.media_seen.get(entry.url) or reused.get(entry.url)
            if item_id and MediaItem.objects.filter(pk=item_id).exists():
                entry.item_id = item_id
            elif entry.upload is None:
                same = MediaItem.objects.filter(sha256=entry.sent_hash, kind=entry.kind).order_by("id").first()
                if same is None:
                    raise PageFailed(f"tệp {entry.url} vừa bị xoá khỏi thư viện: chạy lại để nhập trang này")
                entry.item_id = same.pk
        return media

    def describe(self, found, known, existing, media):
        when = timezone.localtime(found.publish_at).strftime("%d/%m/%Y %H:%M") + (
            " (ước lượng)" if found.estimated else ""
        )
        images = sum(1 for m in media if m.kind == MediaItem.Kind.IMAGE)
        files = len(media) - images
        if known and known.article_id:
            outcome, target = "updated", known.article.get_absolute_url()
        elif existing:
            outcome, target = "linked", existing.get_absolute_url()
        else:
            outcome = "created"
            target = Article(slug=unique_slug(Article, found.title, max_length=320)).get_absolute_url()
        self.say(
            f"[{LABELS[outcome]}] {found.title} — {when}; {found.category or '?'}; tác giả: {found.author or '—'}; "
            f"lượt xem: {found.views if found.views is not None else '—'}; {images} ảnh, {files} tệp; "
            f"{' + '.join(self.old_addresses(found))} → {target}"
        )
        return outcome, target

    # -------------------------------------------------------------------------------------------
    def write(self, page, found, known, existing, media, fingerprint, stored):
        items = {}
        for entry in media:
            items[entry.url] = self.store_media(entry, stored)
        body = self.rewrite_body(found, items)
        if known and known.article_id:
            article = known.article
            outcome = "linked" if known.outcome == ImportedPage.Outcome.LINKED else "updated"
        elif existing is not None:
            article, outcome = existing, "linked"
        else:
            article, outcome = Article(status=self.status, created_by=self.user), "created"
        if outcome in ("created", "updated"):
            article.title = found.title
            article.summary = found.summary
            article.body = body
            article.author = found.author
            article.publish_at = found.publish_at
            article.category = self.category(found.category)
            article.updated_by = self.user
            first_image = next((m for m in media if m.kind == MediaItem.Kind.IMAGE), None)
            if first_image is not None and not article.cover:
                item = items[first_image.url]
                article.cover.name = item.file.name
                article.cover_caption = first_image.label[:300]
                article.cover_alt = first_image.label[:300]
            article.save()
            self.attach_files(article, media, items)
        if found.views:
            set_initial_views(article.pk, found.views)
        target = article.get_absolute_url()
        moves = [(address, target) for address in self.old_addresses(found, page.url)]
        moves += [
            (urlsplit(entry.url).path, items[entry.url].file.url)
            for entry in media
            if entry.kind == MediaItem.Kind.IMAGE and urlsplit(entry.url).netloc == urlsplit(found.url).netloc
        ]
        redirects.keep(moves, note=f"Nhập từ cổng cũ: {found.url}", user=self.user)
        values = {
            "article": article,
            "outcome": outcome,
            "content_hash": fingerprint,
            "date_estimated": found.estimated,
            "error": "",
            "media": {url: item.pk for url, item in items.items()},
            "image_count": sum(1 for m in media if m.kind == MediaItem.Kind.IMAGE),
            "run": self.run_label,
        }
        if found.url in self.recorded:
            ImportedPage.objects.update_or_create(old_url=found.url, defaults=values)
        else:
            ImportedPage.objects.create(old_url=found.url, **values)
            self.recorded.add(found.url)
        if page.url != found.url:
            ImportedPage.objects.filter(old_url=page.url, article__isnull=True).delete()
        return outcome, article

    @staticmethod
    def store_cover(media):
        """In a worker thread: a new page's first image stored, with the three renditions the article's save
        would otherwise make in the writing thread (imagekit's Optimistic strategy then finds them made)."""
        entry = next((m for m in media if m.kind == MediaItem.Kind.IMAGE and m.upload is not None), None)
        if entry is None:
            return
        item = MediaItem(kind=entry.kind)
        item.file.save(entry.upload.name, ContentFile(entry.upload.read()), save=False)
        entry.upload.seek(0)
        entry.stored = item.file.name
        for rendition in cover_renditions(entry.stored):
            rendition.generate()

    def store_media(self, entry, stored):
        if entry.item_id:
            item = MediaItem.objects.get(pk=entry.item_id)
            self.media_seen[entry.url] = item.pk
            return item
        data = entry.upload.read()
        entry.upload.seek(0)
        cleaned_hash = hashlib.sha256(data).hexdigest()
        item = (
            MediaItem.objects.filter(sha256__in=[entry.sent_hash, cleaned_hash], kind=entry.kind)
            .order_by("id")
            .first()
        )
        if item is None:
            item = MediaItem(
                kind=entry.kind,
                title=(entry.label or entry.upload.name)[:255],
                caption=entry.label[:500] if entry.kind == MediaItem.Kind.IMAGE else "",
                alt_text=entry.label[:255] if entry.kind == MediaItem.Kind.IMAGE else "",
                size=len(data),
                content_type=getattr(entry.upload, "content_type", "") or "",
                sha256=entry.sent_hash,
                uploaded_by=self.user,
            )
            if entry.kind == MediaItem.Kind.IMAGE:
                with Image.open(io.BytesIO(data)) as picture:
                    item.width, item.height = picture.size
            if entry.stored:
                item.file.name, entry.kept = entry.stored, True
            else:
                item.file.save(entry.upload.name, ContentFile(data), save=False)
            stored.append(item.file.name)
            item.save()
            self.known_sha256.add(entry.sent_hash)
        self.media_seen[entry.url] = item.pk
        return item

    def attach_files(self, article, media, items):
        have = set(article.attachments.values_list("file", flat=True))
        for position, entry in enumerate(m for m in media if m.kind == MediaItem.Kind.DOCUMENT):
            item = items[entry.url]
            if item.file.name not in have:
                Attachment.objects.create(
                    article=article, title=entry.label[:300] or item.title, file=item.file.name, position=position
                )

    def rewrite_body(self, found, items):
        """Old image and file addresses → the media library's; links into the old site → its paths
        (they redirect); the sanitiser runs when the article is saved."""
        if not found.body:
            return ""
        wrapper = lxml.html.fragment_fromstring(found.body, create_parent="div")
        old_host = urlsplit(found.url).netloc
        for img in wrapper.iter("img"):
            item = items.get(img.get("src"))
            if item is None:
                figure = next(iter(img.iterancestors("figure")), None)
                (figure if figure is not None else img).drop_tree()
                continue
            img.set("src", item.file.url)
            if item.width and item.height:
                img.set("width", str(item.width))
                img.set("height", str(item.height))
        for link in wrapper.iter("a"):
            href = link.get("href") or ""
            if href in items:
                link.set("href", items[href].file.url)
            elif urlsplit(href).netloc == old_host:
                parts = urlsplit(href)
                link.set("href", parts.path + (f"?{parts.query}" if parts.query else ""))
        return (wrapper.text or "") + "".join(etree.tostring(c, encoding="unicode", method="html") for c in wrapper)

    def category(self, name):
        name = name or self.rules.get("import", {}).get("fallback_category", "Tin chuyển từ cổng cũ")
        if name not in self.categories:
            slug = vn_slugify(name, max_length=160)
            found = (
                Category.objects.filter(name__iexact=name).order_by("id").first()
                or Category.objects.filter(slug=slug).first()
            )
            if found is None:
                found = Category.objects.create(name=name, in_menu=False)
                self.report.warnings.append(("", f"đã tạo chuyên mục “{name}” (chưa hiện trên menu)"))
            self.categories[name] = found
        return self.categories[name]

    def old_addresses(self, found, fetched_url=None):
        """Every old address of the article: its URL's path (and the fetched one's), its id's query form
        (Default.aspx?ArticleID=123, whatever other parameters), and the aliases the rules make of its id."""
        addresses = []
        for url in dict.fromkeys(u for u in (found.url, fetched_url) if u):
            parts = urlsplit(url)
            addresses.append(parts.path + (f"?{self.id_query(parts.query)}" if self.id_query(parts.query) else ""))
        if found.article_id:
            for alias in self.rules.get("urls", {}).get("aliases", []):
                addresses.append(alias.format(id=found.article_id))
        return list(dict.fromkeys(addresses))

    def id_query(self, query):
        """The part of an old query string that names the article (ArticleID=123), or the whole of it."""
        pairs = parse_qsl(query)
        wanted = {name.lower() for name in self.rules.get("urls", {}).get("id_params", [])}
        named = [(k, v) for k, v in pairs if k.lower() in wanted]
        return urlencode(named or pairs)

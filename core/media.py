"""The media library ("Thư viện tệp"): every image and file uploaded in the admin becomes a core.MediaItem,
and where each is used is kept in core.MediaUsage.

- `add_upload(upload, user)` checks an upload (images through core.images.clean_image_upload, documents
  through core.files.validate_attachment), spots a re-upload of the same file by its SHA-256 and returns
  the item already there instead of storing a copy: `(item, created)`.
- `adopt(name)` makes an item of a file already stored (an attachment saved by its own model, files kept
  before the library existed: `manage.py media_backfill`). The item and the model's field then share one
  stored file, so "Thay tệp" changes what every link shows.
- `track(model, ...)`, called once from an app's ready(), keeps the usages of that model's files and of the
  library images in its HTML, on every save and delete: `record_usage(obj, field, items)` and
  `clear_usage(obj)` do the writing.
- `replace_file(item, upload)` puts new content under the same stored name (links keep working) and makes
  every rendition of it again.
- `search(queryset, text)` finds items by words without accents; `usages_of(item)` says where it is used,
  with links to the admin.
"""

import contextlib
import hashlib
import mimetypes
import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from .filenames import ATTACHMENT_EXTENSIONS, IMAGE_EXTENSIONS, normalised_name
from .files import validate_attachment
from .images import clean_image_upload
from .models import MediaItem, MediaUsage
from .search.suggestions import fold, fold_text
from .workflow.models import WorkingCopy

Kind = MediaItem.Kind


def _extension(name):
    base = posixpath.basename(str(name or "").replace("\\", "/"))
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def kind_of(name):
    extension = _extension(name)
    if extension in IMAGE_EXTENSIONS:
        return Kind.IMAGE
    if extension in ATTACHMENT_EXTENSIONS:
        return Kind.DOCUMENT
    if extension in ("mp4", "webm"):
        return Kind.VIDEO
    return Kind.OTHER


def title_from_name(name):
    """ "Ảnh hội nghị 2023.JPG" → "Ảnh hội nghị 2023": the readable title of an upload, accents kept."""
    base = posixpath.basename(str(name or "").replace("\\", "/").replace("\x00", ""))
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return " ".join(stem.replace("_", " ").split())[:255]


def _sha256(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _image_size(file):
    file.seek(0)
    try:
        with Image.open(file) as image:
            return image.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None, None
    finally:
        file.seek(0)


def check_upload(upload, kinds=(Kind.IMAGE, Kind.DOCUMENT)):
    """The upload checked and cleaned for the library: (kind, file to store), or ValidationError in Vietnamese.
    An image is re-encoded without its metadata; a document is checked by its content."""
    name = getattr(upload, "name", "") or ""
    kind = kind_of(name)
    if kind == Kind.DOCUMENT and Kind.DOCUMENT in kinds:
        pass
    elif Kind.IMAGE in kinds and (kind == Kind.IMAGE or Kind.DOCUMENT not in kinds or not _extension(name)):
        kind = Kind.IMAGE  # an image is what its content says (core.images), whatever its name
    elif Kind.IMAGE in kinds:
        raise ValidationError(
            _(
                "Thư viện chỉ nhận ảnh (JPEG, PNG, WebP, GIF) và tài liệu (PDF, DOC, DOCX, XLS, XLSX, ODT, ODS): "
                "“%(name)s” không thuộc loại nào."
            )
            % {"name": posixpath.basename(name.replace("\\", "/"))},
            code="kind",
        )
    else:
        raise ValidationError(_("Chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS."), code="kind")
    if kind == Kind.IMAGE:
        return kind, clean_image_upload(upload)
    validate_attachment(upload)
    return kind, upload


def find_duplicate(*hashes):
    return MediaItem.objects.filter(sha256__in=[h for h in hashes if h]).order_by("id").first()


def add_upload(
    upload,
    user=None,
    *,
    kinds=(Kind.IMAGE, Kind.DOCUMENT),
    title="",
    alt_text="",
    caption="",
    folder="",
    name_for=None,
):
    """Check `upload` and store it as a library item: (item, created). The same file uploaded again (the same
    bytes as sent, or the same bytes once cleaned) gives the item already there, `created` False. `folder`
    ("covers", "editor") keeps the dated folder where that kind of upload has always gone; else library/."""
    sent_hash = _sha256(upload)
    if (duplicate := find_duplicate(sent_hash)) and duplicate.kind in kinds:
        return duplicate, False
    kind, cleaned = check_upload(upload, kinds)
    cleaned_hash = _sha256(cleaned) if cleaned is not upload else sent_hash
    if duplicate := find_duplicate(cleaned_hash):
        return duplicate, False
    width, height = _image_size(cleaned) if kind == Kind.IMAGE else (None, None)
    item = MediaItem(
        kind=kind,
        title=(title or title_from_name(upload.name))[:255],
        alt_text=alt_text[:255],
        caption=caption[:500],
        size=cleaned.size,
        width=width,
        height=height,
        content_type=getattr(cleaned, "content_type", "") or mimetypes.guess_type(cleaned.name)[0] or "",
        sha256=sent_hash,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    if name_for:  # the stored name the model field would have given it (its upload_to)
        item.file.name = default_storage.save(name_for(cleaned.name), cleaned)
    elif folder:
        stored = normalised_name(cleaned.name, IMAGE_EXTENSIONS | ATTACHMENT_EXTENSIONS)
        item.file.name = default_storage.save(f"{folder}/{timezone.localdate():%Y/%m}/{stored}", cleaned)
    else:
        item.file.save(cleaned.name, cleaned, save=False)
    item.save()
    return item, True


def adopt(name, user=None, *, title=""):
    """The item of a file already stored under `name` (made now if there is none); None when no such file."""
    if not name:
        return None
    if item := MediaItem.objects.filter(file=name).first():
        return item
    try:
        with default_storage.open(name, "rb") as stored:
            data = stored.read()
    except OSError:
        return None
    kind = kind_of(name)
    content = ContentFile(data, name=name)
    width, height = _image_size(content) if kind == Kind.IMAGE else (None, None)
    item = MediaItem(
        kind=kind,
        title=(title or title_from_name(name))[:255],
        size=len(data),
        width=width,
        height=height,
        content_type=mimetypes.guess_type(name)[0] or "",
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
    )
    item.file.name = name  # the file stays where it is: one stored copy, shared by the item and its user
    item.save()
    return item


# Where items are used ----------------------------------------------------------------------------------


def record_usage(obj, field, items):
    """`obj`'s `field` uses exactly these items now (rows for other items of that field are removed)."""
    content_type = ContentType.objects.get_for_model(obj)
    object_id = str(obj.pk)
    keep = {item.pk for item in items if item is not None}
    MediaUsage.objects.filter(content_type=content_type, object_id=object_id, field=field).exclude(
        item_id__in=keep
    ).delete()
    if keep:
        label = str(obj)[:300]
        MediaUsage.objects.bulk_create(
            [
                MediaUsage(item_id=pk, content_type=content_type, object_id=object_id, field=field, label=label)
                for pk in sorted(keep)
            ],
            update_conflicts=True,
            unique_fields=["item", "content_type", "object_id", "field"],
            update_fields=["label"],
        )


def clear_usage(obj):
    """`obj` is gone: it uses nothing any more."""
    MediaUsage.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)).delete()


# A working copy of a live object (core.workflow) waiting for review uses files too: its usages are kept under
# the field's name with this suffix, so an item only the pending edit shows cannot be deleted meanwhile.
PENDING = "@cho-duyet"


def record_pending(obj):
    """The edited, not yet published `obj` (held as a working copy) uses these items: recorded beside the
    live object's own usages, under `<field>@cho-duyet`."""
    for spec in _TRACKED:
        if spec.model is not type(obj) or spec.parent:
            continue
        user = spec.user_of(obj)
        for field in spec.files:
            item = adopt(getattr(obj, field).name, user) if getattr(obj, field) else None
            record_usage(obj, field + PENDING, [item] if item else [])
        for field in spec.html:
            names = [name for name, _alt in images_in(getattr(obj, field, ""))]
            record_usage(obj, field + PENDING, list(MediaItem.objects.filter(file__in=names)))


@receiver(post_delete, sender=WorkingCopy, dispatch_uid="core.media.working-copy-usages")
def _working_copy_gone(sender, instance, **kwargs):
    """Published or dropped: what only the working copy used is free again."""
    clear_pending(ContentType.objects.get_for_id(instance.content_type_id), instance.object_id)


def clear_pending(content_type, object_id):
    """The working copy was published or dropped: its own usages go (the live row's stay as recorded)."""
    MediaUsage.objects.filter(content_type=content_type, object_id=str(object_id), field__endswith=PENDING).delete()


@dataclass(frozen=True)
class Use:
    label: str
    what: str
    url: str | None


def usages_of(item):
    """Where `item` is used: the object's name, the field ("Ảnh đại diện", "Nội dung") and its admin page."""
    uses = []
    for usage in item.usages.select_related("content_type").order_by("content_type_id", "object_id", "field"):
        model = usage.content_type.model_class()
        field, pending = usage.field.removesuffix(PENDING), usage.field.endswith(PENDING)
        what = field
        url = None
        if model is not None:
            with contextlib.suppress(Exception):
                relation = model._meta.get_field(field)
                what = (
                    relation.related_model._meta.verbose_name_plural
                    if relation.auto_created and not relation.concrete
                    else relation.verbose_name
                )
            what = f"{model._meta.verbose_name}, {str(what).lower()}"
            if pending:
                what = _("%(what)s (bản sửa đổi chờ duyệt)") % {"what": what}
            with contextlib.suppress(NoReverseMatch):
                url = reverse(
                    f"admin:{usage.content_type.app_label}_{usage.content_type.model}_change", args=[usage.object_id]
                )
        uses.append(Use(usage.label or str(usage), str(what).capitalize(), url))
    return uses


class _Images(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            if values.get("src"):
                self.found.append((values["src"], values.get("alt") or ""))


def stored_name(url):
    """The storage name behind a URL of our own media ("/media/library/2026/12/a.jpg" → "library/2026/12/a.jpg")."""
    path = unquote(urlsplit(url or "").path)
    prefix = settings.MEDIA_URL
    if prefix and path.startswith(prefix) and ".." not in path:
        return path[len(prefix) :]
    return None


def images_in(html):
    """(storage name, alt) of every image of our media in `html`."""
    parser = _Images()
    parser.feed(html or "")
    parser.close()
    return [(name, alt) for src, alt in parser.found if (name := stored_name(src))]


def _learn_alt(items_and_alts):
    """Alt text written where an image is used becomes the item's own, when it has none yet (stored once,
    proposed when the image is used again)."""
    for item, alt in items_and_alts:
        if item is not None and alt and not item.alt_text:
            item.alt_text = alt[:255]
            MediaItem.objects.filter(pk=item.pk, alt_text="").update(alt_text=item.alt_text)


@dataclass(frozen=True)
class Tracked:
    """How one model uses the library (see track())."""

    model: type
    files: tuple = ()
    html: tuple = ()
    alts: tuple = ()  # (file field, alt text field) pairs
    parent: str = ""  # a child row (an attachment): its FK to the object that shows it
    as_field: str = ""  # ... and the name of its rows there ("attachments")

    def user_of(self, obj):
        for name in ("updated_by", "created_by"):
            if user := getattr(obj, name, None):
                return user
        return None

    def owner(self, obj):
        return getattr(obj, self.parent) if self.parent else obj

    def record(self, obj, *, deleted=False):
        owner = self.owner(obj)
        user = self.user_of(owner)
        if self.parent:
            own = (
                []
                if deleted
                else [adopt(getattr(obj, f).name, user, title=str(obj)) for f in self.files if getattr(obj, f)]
            )
            siblings = self.model.objects.filter(**{self.parent: owner})
            names = [n for f in self.files for n in siblings.values_list(f, flat=True) if n]
            items = list(MediaItem.objects.filter(file__in=names)) + [i for i in own if i]
            record_usage(owner, self.as_field, items)
            return
        for field in self.files:
            item = adopt(getattr(obj, field).name, user) if getattr(obj, field) else None
            record_usage(obj, field, [item] if item else [])
            alt_field = dict(self.alts).get(field)
            if item and alt_field:
                _learn_alt([(item, getattr(obj, alt_field, ""))])
        for field in self.html:
            found = images_in(getattr(obj, field, ""))
            by_name = {item.file.name: item for item in MediaItem.objects.filter(file__in=[n for n, _ in found])}
            for name, _alt in found:
                if name not in by_name and (item := adopt(name, user)):
                    by_name[name] = item
            record_usage(obj, field, list(by_name.values()))
            _learn_alt([(by_name.get(name), alt) for name, alt in found])

    def forget(self, obj):
        if self.parent:
            with contextlib.suppress(models.ObjectDoesNotExist):
                owner = self.owner(obj)
                if type(owner)._default_manager.filter(pk=owner.pk).exists():
                    self.record(obj, deleted=True)
            return
        clear_usage(obj)


def reuse_same_file(instance, field):
    """Before a row stores a new upload: when the library has the very same file, point the field at it
    instead of storing a second copy."""
    file = getattr(instance, field)
    if not file or getattr(file, "_committed", True):
        return
    if (item := find_duplicate(_sha256(file.file))) and _extension(item.file.name) == _extension(file.name):
        setattr(instance, field, item.file.name)


def track(model, *, files=(), html=(), alts=(), parent="", as_field=""):
    """Keep `model`'s use of the library: `files` (FileField names) and images in `html` (field names); a child
    row (`parent`, the FK name) is listed under its parent's `as_field`. Call once, from the app's ready()."""
    spec = Tracked(model, tuple(files), tuple(html), tuple(alts), parent, as_field)
    uid = f"core.media.{model._meta.label_lower}"

    def before_save(sender, instance, raw=False, **kwargs):
        if not raw:
            for field in spec.files:
                reuse_same_file(instance, field)

    def after_save(sender, instance, raw=False, **kwargs):
        if not raw:
            spec.record(instance)

    def after_delete(sender, instance, **kwargs):
        spec.forget(instance)

    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid + ".pre")
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=uid + ".post")
    post_delete.connect(after_delete, sender=model, weak=False, dispatch_uid=uid + ".delete")
    _TRACKED.append(spec)
    return spec


# Filled once at start-up by the apps' ready() (like core.search.providers), only read afterwards.
_TRACKED: list[Tracked] = []


def tracked():
    return list(_TRACKED)


# Replacing a file ----------------------------------------------------------------------------------------


def check_replacement(item, upload):
    """`upload` checked as the new content of `item`: the cleaned file, or ValidationError in Vietnamese. It must
    be of the item's kind and format (the extension is part of every link to it)."""
    old_extension = _extension(item.file.name)
    kinds = (item.kind,) if item.kind in (Kind.IMAGE, Kind.DOCUMENT) else (Kind.IMAGE, Kind.DOCUMENT)
    _kind, cleaned = check_upload(upload, kinds)
    new_extension = _extension(cleaned.name)
    if not ({old_extension, new_extension} <= {"jpg", "jpeg"} or old_extension == new_extension):
        raise ValidationError(
            _("Tệp thay thế phải cùng định dạng với tệp cũ (.%(old)s) để giữ nguyên đường dẫn; tệp này là .%(new)s.")
            % {"old": old_extension, "new": new_extension},
            code="format",
        )
    return cleaned


def replace_file(item, cleaned):
    """Store `cleaned` (from check_replacement) under the item's very name: every page, link and body image
    keeps its URL and shows the new file; renditions are made again."""
    name = item.file.name
    cleaned.seek(0)
    data = cleaned.read()
    default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another upload took the name in between: keep the links, drop the stray copy
        default_storage.delete(saved)
        raise ValidationError(_("Không thay được tệp lúc này. Hãy thử lại."), code="busy")
    item.size = len(data)
    item.sha256 = hashlib.sha256(data).hexdigest()
    item.width, item.height = _image_size(ContentFile(data)) if item.kind == Kind.IMAGE else (None, None)
    item.content_type = getattr(cleaned, "content_type", "") or item.content_type
    item.save()
    if item.kind == Kind.IMAGE:
        regenerate_renditions(item)
    return item


def regenerate_renditions(item):
    """The item's thumbnail and every imagekit rendition of the objects using it, made again from the new file."""
    _make_again(item.thumbnail)
    for usage in item.usages.select_related("content_type"):
        model = usage.content_type.model_class()
        if model is None:
            continue
        obj = model._default_manager.filter(pk=usage.object_id).first()
        if obj is None:
            continue
        for spec_name, source in _specs_of(model):
            if source == usage.field and getattr(obj, source):
                _make_again(getattr(obj, spec_name))


def _make_again(rendition):
    # The stale copy goes first: storage would save the new one under another name, and pages ask for this one.
    rendition.storage.delete(rendition.name)
    rendition.generate(force=True)


def _specs_of(model):
    from imagekit.models.fields.utils import ImageSpecFileDescriptor

    for klass in model.__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, ImageSpecFileDescriptor):
                yield name, value.source_field_name


# Finding items ------------------------------------------------------------------------------------------


def search(queryset, text):
    """Items whose title, alt text, caption or file name contain every word of `text`, accents or not
    ("hoi nghi" finds "Hội nghị")."""
    words = fold_text(text or "").split()
    if not words:
        return queryset
    haystack = fold(
        models.functions.Concat(
            "title",
            models.Value(" "),
            "alt_text",
            models.Value(" "),
            "caption",
            models.Value(" "),
            "file",
            output_field=models.TextField(),
        )
    )
    queryset = queryset.annotate(_haystack=haystack)
    for word in words[:8]:
        queryset = queryset.filter(_haystack__contains=word)
    return queryset

"""Photos and scanned pages a citizen attaches to a question (at most FEEDBACK_ATTACHMENTS_MAX, each at
most FEEDBACK_ATTACHMENT_MAX_BYTES): JPEG and PNG are re-encoded without their metadata (core.images, in
its time- and memory-limited child process), a PDF is accepted by its content. A form sent back with an
error keeps the files it already received (rows without a feedback item, found again by an unguessable
token in the page) so the citizen does not choose them again; those left behind go after a day."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.filenames import normalised_name
from core.files import validate_attachment
from core.images import clean_image_upload

from .models import Attachment

ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"
PENDING_HOURS = 24


@dataclass
class Upload:
    """A checked file, not yet stored."""

    name: str  # the citizen's file name, for display
    content: bytes
    content_type: str


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "django/forms/widgets/file.html"  # no "clear" box: nothing is stored yet


class AttachmentsField(forms.FileField):
    """Several files from one <input type=file multiple>; cleaned one by one in check_upload."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [f for f in files if f]


def _size(n):
    return f"{n / 1048576:.1f}".replace(".", ",")


def check_upload(upload) -> Upload:
    """A JPEG, PNG or PDF within the size limit, or ValidationError naming the file."""
    name = (getattr(upload, "name", "") or "tep")[-120:]
    limit = settings.FEEDBACK_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (%(size)s MB). Mỗi tệp tối đa %(max)s MB.")
            % {"name": name, "size": _size(upload.size), "max": _size(limit)}
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        upload.name = normalised_name(name, {"pdf"}) if name.lower().endswith(".pdf") else "tai-lieu.pdf"
        validate_attachment(upload)
        return Upload(name, upload.read(), "application/pdf")
    try:
        cleaned = clean_image_upload(upload)
    except ValidationError as error:
        raise ValidationError(
            _("Tệp “%(name)s” không nhận được: %(reason)s") % {"name": name, "reason": " ".join(error.messages)}
        ) from error
    if cleaned.content_type not in ("image/jpeg", "image/png"):
        raise ValidationError(_("Tệp “%(name)s”: chỉ nhận ảnh JPEG, PNG hoặc tệp PDF.") % {"name": name})
    return Upload(name, cleaned.read(), cleaned.content_type)


def keep(uploads) -> list[Attachment]:
    """Store checked uploads that have no feedback item yet (the form went back with an error)."""
    kept = []
    for upload in uploads:
        attachment = Attachment(
            original_name=upload.name,
            content_type=upload.content_type,
            size=len(upload.content),
            token=secrets.token_hex(16),
        )
        extension = {"application/pdf": "pdf", "image/png": "png"}.get(upload.content_type, "jpg")
        attachment.file.save(f"tep.{extension}", ContentFile(upload.content), save=True)
        kept.append(attachment)
    return kept


def pending(tokens) -> list[Attachment]:
    """Files kept from the citizen's earlier attempt, by their tokens (unknown or old tokens: ignored)."""
    tokens = [t for t in tokens if isinstance(t, str) and len(t) == 32 and t.isalnum()][
        : settings.FEEDBACK_ATTACHMENTS_MAX
    ]
    if not tokens:
        return []
    since = timezone.now() - timedelta(hours=PENDING_HOURS)
    return list(Attachment.objects.pending().filter(token__in=tokens, created_at__gte=since))


def delete_files(attachments):
    for attachment in attachments:
        attachment.file.delete(save=False)


def forget_pending(now=None) -> int:
    """Files of forms never sent, a day later (feedback_cleanup)."""
    cutoff = (now or timezone.now()) - timedelta(hours=PENDING_HOURS)
    old = list(Attachment.objects.pending().filter(created_at__lt=cutoff))
    delete_files(old)
    Attachment.objects.filter(pk__in=[a.pk for a in old]).delete()
    return len(old)


LABEL = gettext_lazy("Ảnh hoặc bản chụp giấy tờ")


def help_text():
    return _(
        "Không bắt buộc. Tối đa %(count)d tệp JPEG, PNG hoặc PDF, mỗi tệp không quá %(size)s MB. "
        "Chỉ cán bộ tiếp nhận xem được, không bao giờ công khai."
    ) % {
        "count": settings.FEEDBACK_ATTACHMENTS_MAX,
        "size": _size(settings.FEEDBACK_ATTACHMENT_MAX_BYTES).replace(",0", ""),
    }

"""Attachments: accepted by their content (magic bytes), not only their extension."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
_ZIP = b"PK\x03\x04"  # .docx / .xlsx / .odt
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "doc": (_OLE,),
    "xls": (_OLE,),
    "docx": (_ZIP,),
    "xlsx": (_ZIP,),
    "odt": (_ZIP,),
    "ods": (_ZIP,),
}


def validate_attachment(value):
    name = value.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SIGNATURES:
        raise ValidationError(_("Chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS."), code="extension")
    if getattr(value, "size", 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("Tệp quá lớn. Dung lượng tối đa là 20 MB."), code="too_large")
    if getattr(value, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    file = getattr(value, "file", value)
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    if not any(head.startswith(sig) for sig in SIGNATURES[extension]):
        raise ValidationError(
            _("Nội dung tệp không khớp với định dạng .%(ext)s (tệp có thể bị hỏng hoặc bị đổi tên).")
            % {"ext": extension},
            code="content",
        )

"""Form pieces of the media library: an image field that uploads into the library or picks from it, and
keeps what was chosen when the form comes back with an error; the rich text editor with a "Chèn ảnh từ
thư viện" button.

The image field posts three values: the file input (`cover`), the chosen item's id (`cover_item`, a hidden
input the picker and a first upload fill) and "Bỏ ảnh" (`cover_clear`). An upload becomes a library item
as soon as it is valid, and its id is put into the form's data: a form sent back for another field's error
shows the image and sends it again, nothing to choose twice."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from . import media
from .models import MediaItem

PICKER_JS = "js/media-picker.js"
PICKER_CSS = "css/media-library.css"


@dataclass
class Choice:
    upload: object = None
    item_id: str = ""
    clear: bool = False


class LibraryImageWidget(forms.Widget):
    template_name = "admin/core/mediaitem/image_widget.html"
    needs_multipart_form = True

    class Media:
        js = [PICKER_JS]
        css = {"all": [PICKER_CSS]}

    ACCEPT = {
        MediaItem.Kind.IMAGE: "image/jpeg,image/png,image/webp,image/gif",
        MediaItem.Kind.DOCUMENT: ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods",
    }

    def __init__(self, attrs=None, alt_field="", caption_field="", kind=MediaItem.Kind.IMAGE):
        super().__init__(attrs)
        self.alt_field = alt_field
        self.caption_field = caption_field
        self.kind = kind

    def _render(self, template_name, context, renderer=None):
        # The project's templates (templates/admin/...), not the form renderer's app-only search path.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308  escaped by the template

    def value_from_datadict(self, data, files, name):
        return Choice(files.get(name), (data.get(f"{name}_item") or "").strip(), bool(data.get(f"{name}_clear")))

    def value_omitted_from_data(self, data, files, name):
        return name not in files and f"{name}_item" not in data and f"{name}_clear" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        item = None
        stored = ""
        if isinstance(value, Choice):
            if value.item_id.isdigit():
                item = MediaItem.objects.filter(pk=value.item_id, kind=self.kind).first()
        elif isinstance(value, MediaItem):
            item = value
        elif value:  # the stored file (a FieldFile) of the object being edited
            stored = getattr(value, "name", str(value))
            item = MediaItem.objects.filter(file=stored).first()
        prefix = name.rsplit("-", 1)[0] + "-" if "-" in name else ""
        context["widget"].update(
            {
                "item": item,
                "item_id": item.pk if item and isinstance(value, Choice) else "",
                "is_image": self.kind == MediaItem.Kind.IMAGE,
                "preview": (item.thumbnail.url if item.is_image else item.file.url)
                if item
                else (value.url if stored and hasattr(value, "url") else ""),
                "stored": stored,
                "cleared": isinstance(value, Choice) and value.clear and not value.item_id,
                "picker_url": reverse("admin:core_mediaitem_picker") + f"?loai={self.kind}",
                "alt_input": f"id_{prefix}{self.alt_field}" if self.alt_field else "",
                "caption_input": f"id_{prefix}{self.caption_field}" if self.caption_field else "",
                "accept": self.ACCEPT.get(self.kind, ""),
            }
        )
        return context


class LibraryImageField(forms.Field):
    """Cleans to: a stored name (a new choice), "" (removed) or the initial file (unchanged). The form must
    call `resolve()` from its clean_<field>() with the user, so an upload becomes an item."""

    widget = LibraryImageWidget

    def __init__(self, *, alt_field="", caption_field="", kind=MediaItem.Kind.IMAGE, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", LibraryImageWidget(alt_field=alt_field, caption_field=caption_field, kind=kind))
        self.kind = kind
        super().__init__(**kwargs)

    def clean(self, value):
        return value if isinstance(value, Choice) else Choice()

    def bound_data(self, data, initial):
        if isinstance(data, Choice) and (data.item_id or data.clear):
            return data
        return initial

    def has_changed(self, initial, data):
        return isinstance(data, Choice) and bool(data.upload or data.item_id or data.clear)


def resolve(form, name, user=None, *, folder="", name_for=None):
    """The image field `name` of a bound form: uploads into the library (or finds the same file there),
    returns what the model field should hold, and keeps the item's id in the form's data. Also returns the
    item (None when unchanged or removed)."""
    choice = form.cleaned_data.get(name) or Choice()
    kind = getattr(form.fields[name], "kind", MediaItem.Kind.IMAGE)
    initial = form.initial.get(name)
    item = None
    if choice.upload:
        try:
            item, _created = media.add_upload(choice.upload, user, kinds=(kind,), folder=folder, name_for=name_for)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
    elif choice.item_id:
        item = MediaItem.objects.filter(pk=choice.item_id if choice.item_id.isdigit() else None).first()
        if item is None or item.kind != kind:
            raise ValidationError(_("Tệp đã chọn không còn trong thư viện. Hãy chọn tệp khác."), code="missing")
    elif choice.clear:
        return "", None
    else:
        return initial, None
    data = form.data.copy()
    data[form.add_prefix(name) + "_item"] = str(item.pk)
    form.data = data
    return item.file.name, item


def propose_alt(form, item, alt_field, caption_field=""):
    """A chosen image whose alt text the library knows: proposed in the form when its field is empty. The form
    is sent back once with it filled and a note, so the editor sees what will be read out before it is saved."""
    if item is None or not item.alt_text or form.cleaned_data.get(alt_field):
        return
    data = form.data.copy()
    data[form.add_prefix(alt_field)] = item.alt_text
    if caption_field and item.caption and not form.cleaned_data.get(caption_field):
        data[form.add_prefix(caption_field)] = item.caption
    form.data = data
    form.add_error(alt_field, _("Đã điền mô tả đã lưu cho ảnh này trong thư viện: hãy kiểm tra rồi bấm Lưu lại."))


class LibraryEditorWidget(CKEditor5Widget):
    """CKEditor 5 with a "Chèn ảnh từ thư viện" button under its toolbar (static/js/media-picker.js)."""

    class Media:
        js = [PICKER_JS]
        css = {"all": [PICKER_CSS]}

    def render(self, name, value, attrs=None, renderer=None):
        editor = super().render(name, value, attrs, renderer)
        button = render_to_string(
            "admin/core/mediaitem/editor_button.html", {"editor_id": (attrs or {}).get("id") or f"id_{name}"}
        )
        return mark_safe(editor + button)  # noqa: S308  both rendered by templates, escaped there


def LibraryFileField(**kwargs):  # noqa: N802  a field, named like one
    """The same for documents (an article's attachments): upload into the library or pick a document from it."""
    return LibraryImageField(kind=MediaItem.Kind.DOCUMENT, **kwargs)


class LibraryFileForm(forms.ModelForm):
    """An inline row (an attachment) whose `file` is a library document, kept when the form comes back."""

    file = LibraryFileField(
        label=_("Tệp"), help_text=_("PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS; tối đa 20 MB. Hoặc chọn từ thư viện.")
    )

    def clean_file(self):
        field = self._meta.model._meta.get_field("file")  # stored where the model's own upload_to puts it

        def name_for(filename):
            return field.generate_filename(self.instance, filename)

        name, _item = resolve(self, "file", getattr(self, "media_user", None), name_for=name_for)
        if not name:
            raise ValidationError(_("Hãy chọn tệp."), code="required")
        return name

"""The media library in the admin ("Thư viện tệp"): a grid of thumbnails with search by words without accents,
filters by kind, date and uploader; uploading several files at once; title, alt text and caption kept once;
"Đang được dùng ở" with links; "Thay tệp" keeping every link; deleting an item in use refused with where it is
used; and the picker the article cover and the rich text editor open (static/js/media-picker.js)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import media
from .mediaforms import PICKER_CSS, PICKER_JS
from .models import MediaItem


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe): cleans to a list."""

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)) and data:
            return [one(upload, initial) for upload in data]
        return [one(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Chọn tệp"),
        widget=MultipleFileInput(
            attrs={
                "multiple": True,
                "accept": "image/jpeg,image/png,image/webp,image/gif,.pdf,.doc,.docx,.xls,.xlsx,.odt,.ods",
            }
        ),
        help_text=gettext_lazy(
            "Chọn một hoặc nhiều tệp: ảnh JPEG, PNG, WebP, GIF (tối đa 10 MB) hoặc tài liệu PDF, DOC, DOCX, XLS, "
            "XLSX, ODT, ODS (tối đa 20 MB). Tệp đã có trong thư viện sẽ không bị lưu thêm bản sao."
        ),
        error_messages={"required": gettext_lazy("Hãy chọn ít nhất một tệp để tải lên.")},
    )
    alt_text = forms.CharField(
        label=gettext_lazy("Mô tả ảnh (alt) chung"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Tuỳ chọn: dùng cho mọi ảnh tải lên lần này; có thể sửa từng ảnh sau."),
    )


class MediaItemForm(forms.ModelForm):
    replacement = forms.FileField(
        label=gettext_lazy("Thay tệp"),
        required=False,
        help_text=gettext_lazy(
            "Tệp mới cùng định dạng thay cho tệp này: đường dẫn giữ nguyên, mọi bài viết và trang đang dùng tệp "
            "sẽ hiện tệp mới."
        ),
    )

    class Meta:
        model = MediaItem
        fields = ["title", "alt_text", "caption"]

    def clean_replacement(self):
        upload = self.cleaned_data.get("replacement")
        if upload:
            return media.check_replacement(self.instance, upload)
        return None


@admin.register(MediaItem)
class MediaItemAdmin(admin.ModelAdmin):
    form = MediaItemForm
    list_display = ["thumb", "title_and_name", "kind", "details", "uploaded", "used"]
    list_display_links = ["thumb", "title_and_name"]
    list_filter = ["kind", "uploaded_at", ("uploaded_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["uploaded_by"]
    list_per_page = 48
    search_fields = ["title"]  # (the search itself is get_search_results: every word, accents or not)
    search_help_text = gettext_lazy(
        "Tìm theo tiêu đề, mô tả, chú thích hoặc tên tệp, gõ có dấu hay không dấu đều được."
    )
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "link", "kind", "details", "uploaded_by", "uploaded_at", "usage_list"]
    fieldsets = [
        (None, {"fields": ["preview", "link", "title", "alt_text", "caption"]}),
        (gettext_lazy("Đang được dùng ở"), {"fields": ["usage_list"]}),
        (gettext_lazy("Thay tệp"), {"fields": ["replacement"]}),
        (gettext_lazy("Thông tin tệp"), {"fields": ["kind", "details", "uploaded_by", "uploaded_at"]}),
    ]

    class Media:
        css = {"all": [PICKER_CSS]}
        js = [PICKER_JS]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_used=Count("usages"))

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("Thư viện tệp"), **(extra_context or {})})

    def get_search_results(self, request, queryset, search_term):
        return media.search(queryset, search_term), False

    def get_urls(self):
        return [
            path("chon/", self.admin_site.admin_view(self.picker_view), name="core_mediaitem_picker"),
            *super().get_urls(),
        ]

    # Columns -------------------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("Ảnh"))
    def thumb(self, obj):
        if obj.is_image:
            return format_html(
                '<img src="{}" alt="" class="media-thumb" loading="lazy" width="160" height="120">', obj.thumbnail.url
            )
        return format_html('<span class="media-file-badge">{}</span>', obj.extension or "?")

    @admin.display(description=gettext_lazy("Tiêu đề"), ordering="title")
    def title_and_name(self, obj):
        return format_html('{}<br><span class="quiet media-filename">{}</span>', obj, obj.filename)

    @admin.display(description=gettext_lazy("Kích thước"))
    def details(self, obj):
        size = filesizeformat(obj.size)
        if obj.width and obj.height:
            return f"{obj.width} × {obj.height} px, {size}"
        return size

    @admin.display(description=gettext_lazy("Tải lên"), ordering="uploaded_at")
    def uploaded(self, obj):
        who = (obj.uploaded_by.get_full_name() or obj.uploaded_by.get_username()) if obj.uploaded_by else "—"
        return format_html(
            '{}<br><span class="quiet">{}</span>', who, date_format(timezone.localtime(obj.uploaded_at), "d/m/Y")
        )

    @admin.display(description=gettext_lazy("Nơi dùng"), ordering="_used")
    def used(self, obj):
        count = getattr(obj, "_used", None)
        if count is None:
            count = obj.usages.count()
        return _("Chưa dùng") if not count else _("%(count)s nơi") % {"count": count}

    @admin.display(description=gettext_lazy("Xem trước"))
    def preview(self, obj):
        if obj and obj.pk and obj.is_image:
            return format_html('<img src="{}" alt="" class="media-preview">', obj.thumbnail.url)
        return "—"

    @admin.display(description=gettext_lazy("Đường dẫn"))
    def link(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.file.url, obj.file.url)

    @admin.display(description=gettext_lazy("Đang được dùng ở"))
    def usage_list(self, obj):
        uses = media.usages_of(obj) if obj and obj.pk else []
        if not uses:
            return _("Chưa được dùng ở đâu.")
        return format_html(
            '<ul class="media-usages">{}</ul>',
            format_html_join(
                "",
                "<li>{}</li>",
                (
                    (
                        format_html('<a href="{}">{}</a> ({})', use.url, use.label, use.what)
                        if use.url
                        else format_html("{} ({})", use.label, use.what),
                    )
                    for use in uses
                ),
            ),
        )

    # Saving, replacing, deleting -------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if cleaned := form.cleaned_data.get("replacement"):
            media.replace_file(obj, cleaned)
            self.message_user(
                request,
                _("Đã thay tệp “%(name)s”: đường dẫn giữ nguyên, các nơi đang dùng hiện tệp mới.") % {"name": obj},
                messages.SUCCESS,
            )

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and (uses := media.usages_of(obj)):
            self.message_user(request, refusal(obj, uses), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:core_mediaitem_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            del actions["delete_selected"]
            actions["delete_unused"] = (
                MediaItemAdmin.delete_unused,
                "delete_unused",
                MediaItemAdmin.delete_unused.short_description,
            )
        return actions

    @admin.action(description=gettext_lazy("Xoá các tệp đã chọn (tệp đang được dùng sẽ được giữ lại)"))
    def delete_unused(self, request, queryset):
        if not self.has_delete_permission(request):
            raise PermissionDenied
        kept, deletable = [], []
        for item in queryset:
            if uses := media.usages_of(item):
                kept.append(refusal(item, uses))
            else:
                deletable.append(item)
        if deletable:
            self.log_deletions(request, deletable)
            MediaItem.objects.filter(pk__in=[item.pk for item in deletable]).delete()
        deleted = len(deletable)
        if deleted:
            self.message_user(request, _("Đã xoá %(count)s tệp.") % {"count": deleted}, messages.SUCCESS)
        for message in kept:
            self.message_user(request, message, messages.ERROR)

    # Upload (several files) ------------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        added, existing, refused = [], [], []
        if request.method == "POST" and form.is_valid():
            for upload in form.cleaned_data["files"]:
                try:
                    item, created = media.add_upload(upload, request.user, alt_text=form.cleaned_data["alt_text"])
                except ValidationError as error:
                    refused.append((upload.name, " ".join(error.messages)))
                    continue
                (added if created else existing).append(item)
            if added:
                self.message_user(
                    request, _("Đã thêm %(count)s tệp vào thư viện.") % {"count": len(added)}, messages.SUCCESS
                )
            for item in existing:
                self.message_user(
                    request,
                    format_html(
                        _('Tệp “{}” đã có trong thư viện: <a href="{}">{}</a> (không lưu thêm bản sao).'),
                        item.filename,
                        reverse("admin:core_mediaitem_change", args=[item.pk]),
                        item,
                    ),
                    messages.WARNING,
                )
            if not refused:
                if len(added) == 1 and not existing:
                    return HttpResponseRedirect(reverse("admin:core_mediaitem_change", args=[added[0].pk]))
                return HttpResponseRedirect(reverse("admin:core_mediaitem_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Tải tệp lên thư viện"),
            "opts": self.opts,
            "form": form,
            "refused": refused,
            "media": self.media + form.media,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return render(request, "admin/core/mediaitem/upload.html", context)

    # The picker ------------------------------------------------------------------------------------------

    def picker_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        kind = request.GET.get("loai", "")
        items = MediaItem.objects.select_related("uploaded_by")
        if kind in MediaItem.Kind.values:
            items = items.filter(kind=kind)
        text = request.GET.get("q", "")[:200]
        items = media.search(items, text)
        page = Paginator(items, 24).get_page(request.GET.get("trang"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Chọn từ thư viện"),
            "opts": self.opts,
            "is_popup": True,
            "page": page,
            "q": text,
            "kind": kind,
            "media": self.media,
            "can_upload": self.has_add_permission(request),
        }
        return render(request, "admin/core/mediaitem/picker.html", context)


def refusal(item, uses):
    where = "; ".join(f"{use.label} ({use.what.lower()})" for use in uses)
    return _("Không thể xoá “%(item)s” vì tệp đang được dùng ở: %(where)s. Hãy bỏ tệp khỏi những chỗ đó trước.") % {
        "item": item,
        "where": where,
    }

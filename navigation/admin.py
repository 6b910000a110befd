from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core import links
from core.images import clean_image_upload
from core.workflow import kinds as workflow
from core.workflow import service
from core.workflow.admin import WorkflowAdminMixin

from . import menus, ordering
from .models import Announcement, Banner, MenuItem, WebLink

PUBLISH = "navigation.publish_navigation"


class FrameWorkflow(workflow.StatusWorkflow):
    """Menus, links, banners, announcements in the shared review workflow (core/workflow): "Lưu nháp",
    "Gửi duyệt", and for holders of navigation.publish_navigation "Duyệt & xuất bản", "Lên lịch", "Gỡ xuống"."""

    publish_permission = PUBLISH

    def __init__(self, model, noun):
        super().__init__(model)
        self.noun = noun


for _model, _noun in (
    (MenuItem, _("mục menu")),
    (WebLink, _("liên kết website")),
    (Banner, _("banner")),
    (Announcement, _("thông báo")),
):
    workflow.register(_model, FrameWorkflow(_model, _noun))


class PublishingForm(forms.ModelForm):
    """(The status is set by the workflow's buttons, never typed.)"""


def target_choices():
    """("<content type id>:<object id>", "Chuyên mục › Tin tức") for every object a menu may point at."""
    choices = [("", "---------")]
    for target in links.targets():
        content_type = ContentType.objects.get_for_model(target.model)
        options = [(f"{content_type.pk}:{obj.pk}", str(obj)) for obj in target.model._default_manager.all()[:500]]
        if options:
            choices.append((str(target.title), options))
    return choices


class MenuItemForm(PublishingForm):
    target = forms.ChoiceField(label=_("chuyên mục hoặc trang"), required=False)

    class Meta:
        model = MenuItem
        fields = ["menu", "parent", "title", "kind", "target", "named_page", "url", "position", "status", "publish_at"]
        widgets = {"named_page": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices()
        self.fields["target"].help_text = _("Cho loại “Chuyên mục hoặc trang”.")
        self.fields["named_page"].widget.choices = [("", "---------")] + [
            (page.key, page.title) for page in links.named_pages()
        ]
        self.fields["named_page"].help_text = _("Cho loại “Trang danh sách”.")
        self.fields["url"].help_text = _("Trong cổng: /lich-cong-tac/ · Liên kết ngoài: https://dichvucong.gov.vn")
        if self.instance.content_type_id and self.instance.object_id:
            self.initial["target"] = f"{self.instance.content_type_id}:{self.instance.object_id}"
        # Any item may be chosen: a loop or a third level gets the model's Vietnamese message (MenuItem.tree_errors).
        self.fields["parent"].queryset = MenuItem.objects.order_by("menu", "position", "id")

    def clean(self):
        data = super().clean()
        target = data.get("target") or ""
        content_type_id, _sep, object_id = target.partition(":")
        if data.get("kind") == MenuItem.Kind.OBJECT and target:
            self.instance.content_type_id = int(content_type_id)
            self.instance.object_id = int(object_id)
        elif data.get("kind") != MenuItem.Kind.OBJECT:
            self.instance.content_type_id = self.instance.object_id = None
        return data

    def add_error(self, field, error):
        # The model names content_type and object_id; the form shows their errors on the picker.
        if isinstance(error, forms.ValidationError) and hasattr(error, "error_dict"):
            error = error.error_dict
        if isinstance(error, dict):
            error = {("target" if k in ("content_type", "object_id") else k): v for k, v in error.items()}
        elif field in ("content_type", "object_id"):
            field = "target"
        super().add_error(field, error)


class FrameAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        # A new row starts as a draft ("Lưu nháp", "Gửi duyệt"); "Duyệt & xuất bản" makes it live.
        if not change and self.workflow_action(request) in ("save", "submit"):
            obj.status = MenuItem.Status.DRAFT
        super().save_model(request, obj, form, change)

    @admin.display(description=_("trạng thái"), ordering="status")
    def status_badge(self, obj):
        return obj.get_status_display()


@admin.register(MenuItem)
class MenuItemAdmin(FrameAdmin):
    form = MenuItemForm
    list_display = ["tree_title", "menu", "kind", "target_shown", "link_ok", "status_badge", "arrows"]
    list_filter = ["menu", "status", "kind"]
    search_fields = ["title", "url"]
    list_select_related = ["parent", "content_type"]
    change_list_template = "admin/navigation/menuitem/change_list.html"
    ordering = ["-menu", "position", "id"]  # the main menu ("main") before the footer's ("footer")

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if hasattr(response, "context_data") and "cl" in response.context_data:
            cl = response.context_data["cl"]
            items = list(cl.result_list)
            self._broken = menus.broken_ids(items)
            self._objects = menus.objects_by_label(items)
            self._copies = ordering.copies_by_id()
            if not request.GET.get("o"):  # in the order as it will be (a move waiting for review included)
                future = {item.pk: item.position for item in ordering.as_they_will_be(items, self._copies)}
                menu_rank = {menu: rank for rank, menu in enumerate(dict.fromkeys(item.menu for item in items))}
                items.sort(key=lambda item: (menu_rank[item.menu], future[item.pk], item.pk))
            # Parents before their children, children under their parent.
            by_parent = {}
            for item in items:
                by_parent.setdefault(item.parent_id, []).append(item)
            ordered = []
            for item in items:
                if item.parent_id is None or item.parent_id not in {i.pk for i in items}:
                    ordered.append(item)
                    ordered.extend(by_parent.get(item.pk, []))
            cl.result_list = ordered
        return response

    @admin.display(description=_("mục menu"))
    def tree_title(self, obj):
        if obj.parent_id:
            return format_html("<span aria-hidden='true'>└─ </span>{}", obj)
        return format_html("<strong>{}</strong>", obj)

    @admin.display(description=_("trỏ tới"))
    def target_shown(self, obj):
        if obj.kind == MenuItem.Kind.PAGE:
            page = links.named_page(obj.named_page)
            return page.title if page else obj.named_page
        if obj.kind == MenuItem.Kind.OBJECT:
            found = getattr(self, "_objects", {}).get(obj.target_label, {}).get(obj.object_id)
            kind = obj.content_type.name if obj.content_type else ""
            return f"{kind}: {links.label_of(found)}" if found else f"{kind} #{obj.object_id}"
        return obj.url

    @admin.display(description=_("liên kết"))
    def link_ok(self, obj):
        if obj.pk in getattr(self, "_broken", set()):
            return format_html(
                '<strong class="errornote" style="padding:2px 6px">{}</strong>',
                _("Hỏng: nội dung đã bị xóa hoặc gỡ, mục đang bị ẩn"),
            )
        return "✓"

    @admin.display(description=_("trạng thái"), ordering="status")
    def status_badge(self, obj):
        """The review state (a live item with a change waiting says "Chờ duyệt"), and a new place if it moved."""
        copy = getattr(self, "_copies", {}).get(obj.pk)
        _code, label = service.review_state(obj, copy)
        if copy is not None and copy.data and copy.data.get("position") != obj.position:
            return format_html("{}<br><small>{}</small>", label, _("thứ tự mới"))
        return label

    @admin.display(description=_("thứ tự"))
    def arrows(self, obj):
        up = reverse("admin:navigation_menuitem_move", args=[obj.pk, "up"])
        down = reverse("admin:navigation_menuitem_move", args=[obj.pk, "down"])
        return format_html(
            '<form method="post" action="{}" class="menu-move" style="display:inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" formaction="{}" title="{}" aria-label="{}: {}">↑</button> '
            '<button type="submit" formaction="{}" title="{}" aria-label="{}: {}">↓</button></form>',
            up,
            self._csrf,
            up,
            _("Lên"),
            _("Chuyển lên"),
            obj,
            down,
            _("Xuống"),
            _("Chuyển xuống"),
            obj,
        )

    def get_changelist_instance(self, request):
        from django.middleware.csrf import get_token

        self._csrf = get_token(request)
        return super().get_changelist_instance(request)

    def get_urls(self):
        return [
            path(
                "<int:pk>/move/<str:direction>/",
                self.admin_site.admin_view(self.move_view),
                name="navigation_menuitem_move",
            ),
            path("preview/", self.admin_site.admin_view(self.preview_view), name="navigation_menuitem_preview"),
            *super().get_urls(),
        ]

    def move_view(self, request, pk, direction):
        """↑/↓: swap with the neighbour in the order as it will be (navigation.ordering): a publisher's move is
        live at once, anyone else's waits for review in the items' working copies."""
        item = get_object_or_404(MenuItem, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, item):
            return HttpResponseRedirect(reverse("admin:navigation_menuitem_changelist"))
        waits = ordering.move(item.pk, direction, request.user, self.can_publish(request))
        if waits:
            messages.success(
                request,
                _(
                    "Đã đổi thứ tự “%(item)s” trong bản sửa đổi, chờ duyệt. Menu trên cổng giữ thứ tự cũ cho đến "
                    "khi người duyệt bấm “Duyệt & xuất bản”; “Xem trước menu” cho thấy thứ tự mới."
                )
                % {"item": item},
            )
        elif waits is not None:
            messages.success(request, _("Đã đổi thứ tự “%(item)s”.") % {"item": item})
        return HttpResponseRedirect(
            request.META.get("HTTP_REFERER") or reverse("admin:navigation_menuitem_changelist")
        )

    def preview_view(self, request):
        """The menus as they will look with every item not yet published counted in (drafts, pending)."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Xem trước menu"),
            "opts": self.model._meta,
            "main": menus.preview(MenuItem.Menu.MAIN),
            "footer": menus.preview(MenuItem.Menu.FOOTER),
        }
        return TemplateResponse(request, "admin/navigation/menuitem/preview.html", context)


class ImageForm(PublishingForm):
    image_field = "image"

    def clean(self):
        data = super().clean()
        upload = data.get(self.image_field)
        if upload and hasattr(upload, "content_type"):
            try:
                data[self.image_field] = clean_image_upload(upload)
            except forms.ValidationError as error:
                self.add_error(self.image_field, error)
        return data


class BannerForm(ImageForm):
    class Meta:
        model = Banner
        fields = ["place", "title", "image", "alt_text", "url", "publish_at", "shown_until", "position", "status"]


class WebLinkForm(ImageForm):
    image_field = "logo"

    class Meta:
        model = WebLink
        fields = ["title", "url", "logo", "in_logo_row", "position", "status", "publish_at"]


@admin.register(Banner)
class BannerAdmin(FrameAdmin):
    form = BannerForm
    list_display = ["title", "place", "thumb", "publish_at", "shown_until", "status_badge", "position"]
    list_editable = ["position"]
    list_filter = ["place", "status"]
    search_fields = ["title", "alt_text"]

    @admin.display(description=_("ảnh"))
    def thumb(self, obj):
        return (
            format_html('<img src="{}" alt="{}" style="max-height:40px">', obj.image.url, obj.alt_text)
            if obj.image
            else "—"
        )


@admin.register(WebLink)
class WebLinkAdmin(FrameAdmin):
    form = WebLinkForm
    list_display = ["title", "url", "in_logo_row", "status_badge", "position"]
    list_editable = ["position"]
    list_filter = ["status", "in_logo_row"]
    search_fields = ["title", "url"]


class AnnouncementForm(PublishingForm):
    class Meta:
        model = Announcement
        fields = ["title", "url", "publish_at", "shown_until", "status"]


@admin.register(Announcement)
class AnnouncementAdmin(FrameAdmin):
    form = AnnouncementForm
    list_display = ["title", "publish_at", "shown_until", "status_badge"]
    list_filter = ["status"]
    search_fields = ["title"]
    date_hierarchy = "publish_at"

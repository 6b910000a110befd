"""Redirects in the admin ("Chuyển hướng"): editors keep old links working.

The form refuses what would hurt readers: a redirect to another web site (an open redirect on a
government domain), one that leads back to itself or round a loop of redirects, and a second redirect
for an old address that already has one. Hits are counted by the middleware (core/redirects.py)."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http.request import validate_host
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .redirects import Redirect, chain, path_key, query_pairs, split_old_url


def local_target(value, request_host=None):
    """The target as a path on this site, or a ValidationError in Vietnamese."""
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or value.startswith("//"):
        hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
        if request_host:
            hosts.append(request_host.split(":")[0])
        site = urlsplit(getattr(settings, "SITE_URL", "")).hostname
        if site:
            hosts.append(site)
        if parts.scheme not in ("http", "https") or not parts.hostname or not validate_host(parts.hostname, hosts):
            raise forms.ValidationError(
                _(
                    "Chỉ được chuyển hướng tới một trang trong cổng thông tin này, không tới trang web khác. "
                    "Hãy nhập đường dẫn bắt đầu bằng “/”, ví dụ /bai-viet/ten-bai-viet/."
                ),
                code="external",
            )
        value = parts.path or "/"
        if parts.query:
            value += "?" + parts.query
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        raise forms.ValidationError(
            _("Đường dẫn mới phải bắt đầu bằng “/”, ví dụ /bai-viet/ten-bai-viet/."), code="not_path"
        )
    return value


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "old_query", "target", "permanent", "note"]

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_path(self):
        path, _query = split_old_url(self.cleaned_data["old_path"])
        if path_key(path).startswith(("/admin", "/static")):
            raise forms.ValidationError(_("Không thể chuyển hướng các trang quản trị hay tệp tĩnh."), code="reserved")
        return self.cleaned_data["old_path"].strip()

    def clean_target(self):
        host = self.request.get_host() if self.request is not None else None
        return local_target(self.cleaned_data["target"], host)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        probe = Redirect(old_path=cleaned["old_path"], old_query=cleaned.get("old_query", ""))
        probe.derive_keys()
        hops = chain(cleaned["target"], exclude=self.instance.pk)
        for step, position in enumerate([cleaned["target"], *[hop.target for hop in hops]]):
            position_path, position_query = split_old_url(position)
            if path_key(position_path) == probe.path_key and set(probe.query_pairs) <= set(
                query_pairs(position_query)
            ):
                if step == 0:
                    raise forms.ValidationError(
                        _("Đường dẫn mới trùng với đường dẫn cũ: người đọc sẽ bị chuyển hướng mãi không dừng."),
                        code="loop",
                    )
                route = " → ".join([probe.old_address, *[hop.old_address for hop in hops[:step]], probe.old_address])
                raise forms.ValidationError(
                    _("Các chuyển hướng tạo thành vòng lặp: %(route)s. Hãy chọn trang đích khác.") % {"route": route},
                    code="loop",
                )
        taken = Redirect.objects.filter(path_key=probe.path_key, query_pairs=probe.query_pairs)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error(
                "old_path",
                forms.ValidationError(
                    _("Đường dẫn cũ này đã có chuyển hướng (tới %(target)s). Hãy sửa chuyển hướng đó.")
                    % {"target": taken.first().target},
                    code="duplicate",
                ),
            )
        return cleaned


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_address_display", "target_link", "permanent", "hits", "last_hit_at", "note"]
    list_filter = ["permanent"]
    search_fields = ["old_path", "old_query", "target", "note"]
    search_help_text = gettext_lazy("Tìm theo đường dẫn cũ, đường dẫn mới hoặc ghi chú.")
    readonly_fields = ["hits", "last_hit_at", "created_by", "created_at"]
    list_select_related = ["created_by"]
    fieldsets = [
        (None, {"fields": ["old_path", "old_query", "target", "permanent", "note"]}),
        (gettext_lazy("Thống kê"), {"fields": ["hits", "last_hit_at", "created_by", "created_at"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class WithRequest(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, request=request, **inner)

        return WithRequest

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("Đường dẫn cũ"), ordering="old_path")
    def old_address_display(self, obj):
        return obj.old_address

    @admin.display(description=gettext_lazy("Chuyển tới"), ordering="target")
    def target_link(self, obj):
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.target, obj.target)

"""Autosave and edit locks for admin change forms (issue 17): `EditingAdminMixin` on a ModelAdmin.

While a change or add form is open, static/admin/js/editing.js sends the form's fields (CKEditor bodies
included) to the user's autosave slot every EDITING_AUTOSAVE_SECONDS and when the page is left; reopening
offers to restore it, showing what differs from the stored object. Opening an object someone else edits
shows who and since when, read-only (the admin's own view-only rendering), with "Tiếp quản" for those who
may publish that kind; the holder's tab learns it at its next heartbeat. A save while someone else holds
the lock is refused with the form shown again, and what was typed goes to the user's slot. The rows are
in core/editstate.py; the JSON endpoints are under the model's admin URL (…/<id>/editing/…), POST only,
CSRF-protected, permission-checked. The read-only page asks `…/<id>/editing/status/` (GET, one indexed query)
every EDITING_STATUS_SECONDS while it is in sight, and says when the holder has left or someone else took it.
"""

import difflib
import html
import json
import re
from functools import update_wrapper

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import editstate

PANEL_TEMPLATE = "admin/core/editing/panel.html"
FALLBACK_TEMPLATE = "admin/core/editing/change_form.html"


def moment_label(moment, now=None):
    """ "14:32" today, "14:32 ngày 02/12/2026" another day (local time)."""
    moment = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now()).date()
    if moment.date() == today:
        return date_format(moment, "H:i")
    return _("%(time)s ngày %(date)s") % {"time": date_format(moment, "H:i"), "date": date_format(moment, "d/m/Y")}


def lock_message(lock):
    return _("Đang được %(name)s chỉnh sửa từ %(since)s.") % {
        "name": lock.holder_name,
        "since": moment_label(lock.acquired_at),
    }


def lost_message(lock):
    return _(
        "%(name)s đã tiếp quản việc chỉnh sửa lúc %(since)s. Những gì bạn đang soạn đã được giữ trong bản tự lưu "
        "của bạn; tải lại trang để xem bản mới nhất."
    ) % {"name": lock.holder_name, "since": moment_label(lock.acquired_at)}


def refused_message(lock):
    return _(
        "Chưa lưu: %(name)s đã tiếp quản việc chỉnh sửa từ %(since)s. Nội dung bạn soạn vẫn ở trên trang này "
        "và đã được giữ trong bản tự lưu của bạn."
    ) % {"name": lock.holder_name, "since": moment_label(lock.acquired_at)}


def freed_message(lock, noun):
    """What the read-only page says once `lock`'s holder has let it go (saved, closed) or it ran out."""
    return _("%(name)s đã đóng %(noun)s này. Bạn có thể sửa ngay:") % {"name": lock.holder_name, "noun": noun}


def moved_message(lock, noun):
    return _("%(name)s đang sửa %(noun)s này từ %(since)s (thay người trước). Bạn vẫn xem ở chế độ chỉ đọc.") % {
        "name": lock.holder_name,
        "noun": noun,
        "since": moment_label(lock.acquired_at),
    }


# What differs between the stored object and a slot -------------------------------------------------------

_SPACES = re.compile(r"\s+")
_BETWEEN_TAGS = re.compile(r">\s+<")
_BLOCK_TAG = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|figure|figcaption|table|tr|td|th)|br)\b[^>]*>", re.I
)


def _as_text(value):
    """A field's value as a reader would compare it: tags dropped, entities decoded, spaces collapsed."""
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value if v not in (None, ""))
    if value is None:
        return ""
    text = strip_tags(_BLOCK_TAG.sub(" ", str(value)))  # paragraphs apart: "họp. Hội đồng", not "họp.Hội đồng"
    return _SPACES.sub(" ", html.unescape(text)).strip()


def _same_markup(a, b):
    norm = [_BETWEEN_TAGS.sub("><", _SPACES.sub(" ", html.unescape(str(x or "")))).strip() for x in (a, b)]
    return norm[0] == norm[1]


def _display(field, value):
    """A form field's value (initial or submitted) as text: choices by their label, yes/no, dates local."""
    if isinstance(field, forms.BooleanField):
        return _("Có") if value and value not in ("false", "False", "0", "off") else _("Không")
    if hasattr(value, "pk"):
        value = value.pk
    if isinstance(value, list | tuple):
        value = [v.pk if hasattr(v, "pk") else v for v in value]
    if hasattr(field, "choices"):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, list | tuple):  # an option group
                labels.update((str(k), str(v)) for k, v in label)
            else:
                labels[str(key)] = str(label)
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values if v not in (None, ""))
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value) if value.tzinfo else value, "d/m/Y H:i")
    if hasattr(value, "isoformat"):
        return date_format(value, "d/m/Y")
    return _as_text(value)


def word_diff(old, new, context=6):
    """[(kind, text)] with kind "same", "del" or "ins", words compared; long unchanged runs shortened."""
    a, b = old.split(), new.split()
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    segments = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = a[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * context:
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            segments.append(("same", " ".join(words)))
            continue
        if i2 > i1:
            segments.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("ins", " ".join(b[j1:j2])))
    return segments


def slot_changes(form_class, obj, data):
    """The fields where the slot's data differ from the stored object (or from an empty add form)."""
    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    form = form_class(data=query, files=None, instance=obj)
    changes = []
    for name in form.changed_data:
        bound = form[name]
        field = form.fields[name]
        if isinstance(field, forms.FileField):
            continue  # files are never autosaved
        old, new = bound.initial, bound.data
        if isinstance(old, str) and isinstance(new, str) and _same_markup(old, new):
            continue
        old_text, new_text = _display(field, old), _display(field, new)
        if old_text == new_text and not isinstance(old, str):
            continue
        changes.append({"name": name, "label": field.label or name, "segments": word_diff(old_text, new_text)})
    return changes


# The admin side -----------------------------------------------------------------------------------------


class EditingAdminMixin:
    """Autosave slots, edit locks and their JSON endpoints for a ModelAdmin (list it before ModelAdmin)."""

    editing_panel_template = PANEL_TEMPLATE

    # Permissions ---------------------------------------------------------------------------------------

    def editing_may_take_over(self, request, obj):
        """Those who may publish this kind: the admin's has_publish_permission, else the app's publish_*
        permission (documents' for procedures), else whoever may change it (department pages)."""
        if hasattr(self, "has_publish_permission"):
            return self.has_publish_permission(request)
        opts = self.opts
        codenames = [
            codename
            for model in apps.get_app_config(opts.app_label).get_models()
            for codename, _label in model._meta.permissions
            if codename.startswith("publish_")
        ]
        own = f"publish_{opts.model_name}"
        if own in codenames:
            codenames = [own]
        if codenames:
            return any(request.user.has_perm(f"{opts.app_label}.{codename}") for codename in codenames)
        return True

    def has_change_permission(self, request, obj=None):
        if obj is not None and getattr(request, "_editing_readonly", None) == str(obj.pk):
            return False  # someone else holds the lock: the admin's view-only rendering
        return super().has_change_permission(request, obj)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and getattr(request, "_editing_readonly", None) == str(obj.pk):
            for inline in inlines:  # instances are made per request
                inline.has_add_permission = lambda *args, **kwargs: False
                inline.has_change_permission = lambda *args, **kwargs: False
                inline.has_delete_permission = lambda *args, **kwargs: False
                inline.get_extra = inline.get_max_num = lambda *args, **kwargs: 0  # no empty rows to fill
        return inlines

    # The change form -----------------------------------------------------------------------------------

    def _editing_type(self):
        return ContentType.objects.get_for_model(self.model, for_concrete_model=False)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        content_type = self._editing_type()
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and self.has_change_permission(request, obj):
                request._editing_can_change = True
                if request.method == "POST":
                    if (other := editstate.held_by_other(request.user, content_type, obj.pk)) is not None:
                        request._editing_refused = other
                        self._editing_keep(request, content_type, obj.pk)
                    else:
                        request._editing_lock = editstate.acquire(request.user, content_type, obj.pk)
                else:
                    lock = editstate.acquire(request.user, content_type, obj.pk)
                    request._editing_lock = lock
                    if lock.user_id != request.user.pk:
                        request._editing_readonly = str(obj.pk)
        response = super().changeform_view(request, object_id, form_url, extra_context)
        if getattr(request, "_editing_saved", False) and response.status_code == 302:
            # Saved: the slot has done its job; the lock is taken again if the form is opened again.
            if obj is None:
                editstate.discard_slot(request.user, content_type, editstate.ADD)
            else:
                editstate.discard_slot(request.user, content_type, obj.pk)
                editstate.release(request.user, content_type, obj.pk)
        return response

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        request._editing_saved = True  # (a redirect alone may be a workflow's detour, with nothing saved)

    def _editing_keep(self, request, content_type, object_id):
        data = {name: request.POST.getlist(name) for name in request.POST if name != "csrfmiddlewaretoken"}
        editstate.save_slot(request.user, content_type, object_id, data)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        lock = getattr(request, "_editing_refused", None)
        if lock is None:
            return form

        class Refused(form):
            def clean(self):
                super().clean()
                raise ValidationError(refused_message(lock), code="edit_lock")

        return Refused

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        editing = self._editing_context(request, add, obj)
        if editing is not None:
            context.update({"editing_panel_template": self.editing_panel_template, "editing": editing})
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if editing is not None and isinstance(response.template_name, list | tuple):
            # No change_form template of this model or app carries the panel: put ours before Django's own.
            names = list(response.template_name)
            if names and names[-1] == "admin/change_form.html":
                try:
                    select_template(names[:-1])
                except TemplateDoesNotExist:
                    response.template_name = [*names[:-1], FALLBACK_TEMPLATE, names[-1]]
        return response

    def _editing_url(self, name, *args):
        return reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{name}", args=args)

    def _editing_context(self, request, add, obj):
        content_type = self._editing_type()
        if add:
            if not self.has_add_permission(request):
                return None
            key = editstate.ADD
            autosave_url = self._editing_url("editing_autosave_add")
            heartbeat_url = takeover_url = status_url = ""
        else:
            if obj is None or not getattr(request, "_editing_can_change", False):
                return None
            key = str(obj.pk)
            autosave_url = self._editing_url("editing_autosave", obj.pk)
            heartbeat_url = self._editing_url("editing_heartbeat", obj.pk)
            takeover_url = self._editing_url("editing_takeover", obj.pk)
            status_url = self._editing_url("editing_status", obj.pk)
        editing = {
            "autosave_url": autosave_url,
            "heartbeat_url": heartbeat_url,
            "autosave_seconds": getattr(settings, "EDITING_AUTOSAVE_SECONDS", 30),
            "heartbeat_seconds": getattr(settings, "EDITING_HEARTBEAT_SECONDS", 30),
            "readonly": False,
            "offer": None,
        }
        if getattr(request, "_editing_refused", None) is not None:
            return editing  # the form says why it was not saved; the heartbeat tells who holds it
        lock = getattr(request, "_editing_lock", None)
        if lock is not None and lock.user_id != request.user.pk:
            editing.update(
                readonly=True,
                lock_message=lock_message(lock),
                may_take_over=self.editing_may_take_over(request, obj),
                takeover_url=takeover_url,
                status_url=status_url,
                status_seconds=getattr(settings, "EDITING_STATUS_SECONDS", 20),
                holder_id=lock.user_id,
                freed_message=freed_message(lock, self.opts.verbose_name),
                edit_url=self._editing_url("change", obj.pk),
            )
            return editing
        if request.method == "GET" and (slot := editstate.slot(request.user, content_type, key)) is not None:
            form_class = self.get_form(request, obj, change=not add)
            changes = slot_changes(form_class, obj, slot.data)
            if changes:
                editing["offer"] = {
                    "question": _("Khôi phục bản đang soạn lúc %(time)s?") % {"time": moment_label(slot.saved_at)},
                    "changes": changes,
                    "data": slot.data,
                }
            else:
                slot.delete()  # nothing in it differs from what is stored
        return editing

    # JSON endpoints ------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "add/editing/autosave/",
                self._editing_endpoint(self.editing_autosave_view),
                name="{}_{}_editing_autosave_add".format(*info),
            ),
            path(
                "<path:object_id>/editing/autosave/",
                self._editing_endpoint(self.editing_autosave_view),
                name="{}_{}_editing_autosave".format(*info),
            ),
            path(
                "<path:object_id>/editing/heartbeat/",
                self._editing_endpoint(self.editing_heartbeat_view),
                name="{}_{}_editing_heartbeat".format(*info),
            ),
            path(
                "<path:object_id>/editing/status/",
                self._editing_reader(self.editing_status_view),
                name="{}_{}_editing_status".format(*info),
            ),
            path(
                "<path:object_id>/editing/takeover/",
                self._editing_endpoint(self.editing_takeover_view),
                name="{}_{}_editing_takeover".format(*info),
            ),
            *super().get_urls(),
        ]

    def _editing_endpoint(self, view):
        """POST only, CSRF-checked, staff past the second step; a lost session is said in JSON (the tab
        shows it and keeps the text) instead of the login page."""

        def endpoint(request, *args, **kwargs):
            if request.method != "POST":
                return JsonResponse({"ok": False, "message": _("Chỉ nhận yêu cầu POST.")}, status=405)
            if not self.admin_site.has_permission(request):
                message = _(
                    "Phiên đăng nhập đã hết. Đừng đóng trang này: đăng nhập lại ở một thẻ khác rồi quay lại bấm Lưu."
                )
                return JsonResponse({"ok": False, "session": "expired", "message": message}, status=401)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied:
                message = _("Bạn không có quyền sửa mục này.")
                return JsonResponse({"ok": False, "message": message}, status=403)

        return update_wrapper(csrf_protect(never_cache(endpoint)), view)

    def _editing_reader(self, view):
        """GET only, staff past the second step, who may see this kind; answers in JSON and says nothing about
        the object to anyone else."""

        def endpoint(request, *args, **kwargs):
            if request.method != "GET":
                return JsonResponse({"ok": False, "message": _("Chỉ nhận yêu cầu GET.")}, status=405)
            if not self.admin_site.has_permission(request):
                return JsonResponse(
                    {"ok": False, "session": "expired", "message": _("Phiên đăng nhập đã hết.")}, status=401
                )
            if not self.has_view_or_change_permission(request):
                return JsonResponse({"ok": False, "message": _("Bạn không có quyền xem mục này.")}, status=403)
            return view(request, *args, **kwargs)

        return update_wrapper(never_cache(endpoint), view)

    def editing_status_view(self, request, object_id):
        """Whether the lock the read-only page was shown for is still held: one indexed query (the lock and its
        holder), the object itself not read. `?holder=<user id>` is the holder the page was shown with."""
        lock = editstate.current(self._editing_type(), unquote(object_id))
        noun = self.opts.verbose_name
        if lock is None or not lock.is_active() or lock.user_id == request.user.pk:
            answer = {"ok": True, "lock": "free"}  # (released: the row is gone; the page knows whose it was)
            if lock is not None and lock.user_id != request.user.pk:
                answer["message"] = freed_message(lock, noun)
            return JsonResponse(answer)
        answer = {"ok": True, "lock": "held", "holder_id": lock.user_id, "freed": freed_message(lock, noun)}
        if str(lock.user_id) != request.GET.get("holder", ""):
            answer["message"] = moved_message(lock, noun)
        return JsonResponse(answer)

    def _editing_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def editing_autosave_view(self, request, object_id=None):
        content_type = self._editing_type()
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            key = editstate.ADD
        else:
            key = self._editing_object(request, object_id).pk
        if request.POST.get("discard"):
            editstate.discard_slot(request.user, content_type, key)
            return JsonResponse({"ok": True, "discarded": True})
        payload = request.POST.get("data", "")
        data = None
        if len(payload) <= editstate.MAX_SLOT_BYTES:
            try:
                data = editstate.clean_data(json.loads(payload))
            except ValueError:
                data = None
        if data is None:
            return JsonResponse({"ok": False, "message": _("Không đọc được nội dung gửi lên để tự lưu.")}, status=400)
        now = timezone.now()
        editstate.save_slot(request.user, content_type, key, data, now)
        label = _("Đã tự lưu lúc %(time)s") % {"time": moment_label(now, now)}
        return JsonResponse({"ok": True, "saved_at": now.isoformat(), "message": label})

    def editing_heartbeat_view(self, request, object_id):
        content_type = self._editing_type()
        obj = self._editing_object(request, object_id)
        if request.POST.get("release"):
            editstate.release(request.user, content_type, obj.pk)
            return JsonResponse({"ok": True, "released": True})
        lock = editstate.acquire(request.user, content_type, obj.pk)
        if lock.user_id == request.user.pk:
            return JsonResponse({"ok": True, "lock": "held"})
        return JsonResponse({"ok": False, "lock": "lost", "holder": lock.holder_name, "message": lost_message(lock)})

    def editing_takeover_view(self, request, object_id):
        content_type = self._editing_type()
        obj = self._editing_object(request, object_id)
        if not self.editing_may_take_over(request, obj):
            raise PermissionDenied
        previous = editstate.current(content_type, obj.pk)
        editstate.acquire(request.user, content_type, obj.pk, force=True)
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse({"ok": True, "lock": "held"})
        if previous is not None and previous.user_id != request.user.pk and previous.is_active():
            messages.success(
                request,
                _(
                    "Bạn đã tiếp quản việc chỉnh sửa. %(name)s sẽ được báo; những gì họ đang soạn vẫn nằm trong "
                    "bản tự lưu của họ."
                )
                % {"name": previous.holder_name},
            )
        return redirect(self._editing_url("change", obj.pk))

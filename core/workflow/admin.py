"""`WorkflowAdminMixin`: one set of workflow buttons, preview, history, comparison and restore for every
reviewed kind's ModelAdmin (articles, documents, procedures, department pages).

The status drop-down is gone: an editor sees "Lưu nháp", "Xem trước", "Gửi duyệt"; whoever holds the kind's
publish permission also "Duyệt & xuất bản", "Lên lịch" (kinds with a publish time), "Trả lại" (with a
comment) and "Gỡ xuống". Editing a live object keeps the edit as its working copy (core.workflow.models):
readers keep the live row until "Duyệt & xuất bản". Attachments are rows of their own: on a live object
they are changed by publishers only (read-only for editors) and each version of the object lists them
(compared as a list; restoring a version of an object not yet live puts its rows back).

The list's bulk actions are the same for every kind: "Xuất bản các … đã chọn" and "Gỡ xuống" (publishers),
"Gửi duyệt các … đã chọn" (whoever may change); each selected item goes through `service.bulk`, as its form's
button would (working copy applied, version "Xuất bản hàng loạt", audit entry, author told). An app's own
actions of the same names give way to them.
"""

import contextlib

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import revisions

from . import kinds, service
from .models import WorkingCopy

ACTIONS = {
    "_wf_save": "save",
    "_wf_submit": "submit",
    "_wf_publish": "publish",
    "_wf_schedule": "schedule",
    "_wf_return": "return",
    "_wf_unpublish": "unpublish",
}
PUBLISHER_ACTIONS = {"publish", "schedule", "return", "unpublish"}
BULK_ACTIONS = ("publish", "unpublish", "submit_for_review")  # the lists' actions, shared by every kind


class PendingFilter(admin.SimpleListFilter):
    title = gettext_lazy("duyệt")
    parameter_name = "cho_duyet"

    def lookups(self, request, model_admin):
        return [("1", gettext_lazy("Chờ duyệt (cả bản sửa của mục đang xuất bản)"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(pk__in=service.pending_queryset(queryset.model).values("pk"))
        return queryset


class WorkflowAdminMixin:
    change_form_template = "admin/core/workflow/change_form.html"
    workflow_add_another = False  # a "Lưu và thêm mới" button (saves a draft, opens an empty form)

    # Set by the app: (request, obj, m2m) → the public page of `obj` as readers would see it.
    def preview_response(self, request, obj, m2m):
        raise Http404

    # Helpers ---------------------------------------------------------------------------------------------
    @property
    def workflow(self):
        return kinds.of(self.model)

    def can_publish(self, request):
        return request.user.has_perm(self.workflow.publish_permission)

    def workflow_action(self, request):
        for name, action in ACTIONS.items():
            if name in request.POST:
                return action
        return "save"

    def has_publish_permission(self, request):
        return self.can_publish(request)

    def url_name(self, what):
        return f"admin:{self.opts.app_label}_{self.opts.model_name}_{what}"

    def admin_link(self, request, obj):
        return request.build_absolute_uri(reverse(self.url_name("change"), args=[obj.pk]))

    # Bulk actions of the list: each item goes through the service as its form's button would --------------
    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in BULK_ACTIONS:
            actions.pop(name, None)  # (an app's own copy, if any, gives way to the shared one)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        noun = {"noun": self.workflow.noun}
        if self.can_publish(request):
            actions["publish"] = (
                WorkflowAdminMixin.bulk_publish,
                "publish",
                _("Xuất bản các %(noun)s đã chọn") % noun,
            )
            if self.workflow.can_unpublish:
                actions["unpublish"] = (
                    WorkflowAdminMixin.bulk_unpublish,
                    "unpublish",
                    _("Gỡ xuống (chuyển về bản nháp)"),
                )
        if self.has_change_permission(request):
            actions["submit_for_review"] = (
                WorkflowAdminMixin.bulk_submit,
                "submit_for_review",
                _("Gửi duyệt các %(noun)s đã chọn") % noun,
            )
        return actions

    def bulk_publish(self, request, queryset):
        done, skipped = self.run_bulk(request, queryset, "publish")
        self.bulk_message(
            request,
            ngettext("Đã xuất bản %(count)d %(noun)s.", "Đã xuất bản %(count)d %(noun)s.", done),
            done,
            skipped,
        )

    def bulk_unpublish(self, request, queryset):
        done, skipped = self.run_bulk(request, queryset, "unpublish")
        self.bulk_message(
            request,
            ngettext("Đã gỡ xuống %(count)d %(noun)s.", "Đã gỡ xuống %(count)d %(noun)s.", done),
            done,
            skipped,
        )

    def bulk_submit(self, request, queryset):
        done, skipped = self.run_bulk(request, queryset, "submit")
        self.bulk_message(
            request,
            ngettext("Đã gửi duyệt %(count)d %(noun)s.", "Đã gửi duyệt %(count)d %(noun)s.", done),
            done,
            skipped,
        )

    def bulk_message(self, request, text, count, skipped):
        if count:  # (nothing done: the skipped and refused items are named below or already)
            self.message_user(request, text % {"count": count, "noun": self.workflow.noun}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "Bỏ qua %(count)d mục đã ở trạng thái đó (hoặc bạn không được sửa).",
                    "Bỏ qua %(count)d mục đã ở trạng thái đó (hoặc bạn không được sửa).",
                    skipped,
                )
                % {"count": skipped},
                messages.INFO,
            )

    def run_bulk(self, request, queryset, action):
        """Each selected item in its own savepoint: one that cannot be done is named, the others go on. Returns
        (how many changed, how many were left as they were)."""
        publishing = action in ("publish", "unpublish")
        if publishing and not self.can_publish(request):
            raise PermissionDenied
        done = skipped = 0
        for obj in queryset.order_by("pk"):
            if not publishing and not self.has_change_permission(request, obj):
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    changed = service.bulk(action, obj, request.user, self.admin_link(request, obj))
            except service.WorkflowError as error:
                self.message_user(
                    request,
                    _("“%(label)s” chưa được thực hiện: %(why)s")
                    % {"label": self.workflow.label(obj), "why": error.message},
                    messages.ERROR,
                )
                continue
            done += changed
            skipped += not changed
        return done, skipped

    # URLs ---------------------------------------------------------------------------------------------------
    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("xem-truoc/", view(self.preview_view), name=f"{info}_preview_new"),
            path("da-xoa/", view(self.deleted_view), name=f"{info}_deleted"),
            path("da-xoa/<int:version_id>/", view(self.restore_deleted_view), name=f"{info}_restore_deleted"),
            path("<path:object_id>/xem-truoc/", view(self.preview_view), name=f"{info}_preview"),
            path("<path:object_id>/so-sanh/", view(self.compare_view), name=f"{info}_compare"),
            path("<path:object_id>/khoi-phuc/<int:version_id>/", view(self.restore_view), name=f"{info}_restore"),
            path("<path:object_id>/duyet/", view(self.conflict_view), name=f"{info}_conflict"),
            *super().get_urls(),
        ]

    # The form -----------------------------------------------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        hidden = set(self.workflow.status_fields())
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options.get("fields", []) if f not in hidden]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_list_filter(self, request):
        return [PendingFilter, *super().get_list_filter(request)]

    def get_list_editable(self, request):  # no status edited in the list: everything goes through review
        return [f for f in super().get_list_editable(request) if f not in self.workflow.status_fields()]

    def get_changelist_instance(self, request):
        self.list_editable = [f for f in self.list_editable if f not in self.workflow.status_fields()]
        return super().get_changelist_instance(request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and getattr(request, "_wf_overlay", False):
            copy = service.working_copy(obj)
            request._wf_copy = copy
            request._wf_live = self.workflow.is_live(obj)
            request._wf_state = service.review_state(obj, copy)
            request._wf_token = service.state_token(obj, copy)
            request._wf_m2m, request._wf_missing = {}, []
            if copy is not None and copy.data:
                request._wf_m2m, request._wf_missing = service.apply(obj, copy.data)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        admin_ = self

        class WorkflowForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                for name, ids in getattr(request, "_wf_m2m", {}).items():
                    if name in self.fields:
                        self.initial[name] = ids

            def clean(self):
                cleaned = super().clean()
                admin_.clean_workflow(request, self, cleaned)
                return cleaned

        return WorkflowForm

    def clean_workflow(self, request, form, cleaned):
        if request.method != "POST":
            return
        action = self.workflow_action(request)
        if action in PUBLISHER_ACTIONS and not self.can_publish(request):
            form.add_error(None, _("Bạn không có quyền duyệt, xuất bản hay gỡ mục này; hãy bấm “Gửi duyệt”."))
        if action == "return" and not request.POST.get("wf_comment", "").strip():
            form.add_error(None, _("Hãy ghi nhận xét khi trả lại: người viết cần sửa gì."))
        if action == "schedule" and form.instance.pk is not None and self.workflow.is_live(form.instance):
            form.add_error(
                None,
                _("Mục này đang xuất bản: bản sửa không lên lịch được, hãy bấm “Duyệt & xuất bản” khi muốn đăng."),
            )
        elif action == "schedule":
            when = cleaned.get("publish_at")
            if "publish_at" in form.fields and (when is None or when <= timezone.now()):
                form.add_error("publish_at", _("Để lên lịch, hãy chọn thời điểm xuất bản trong tương lai."))
        if action == "unpublish" and (form.instance.pk is None or not self.workflow.is_live(form.instance)):
            form.add_error(None, _("Mục này chưa xuất bản nên không có gì để gỡ xuống."))
        if form.instance.pk is not None:
            current = type(form.instance)._default_manager.filter(pk=form.instance.pk).first()
            if current is not None:
                token = request.POST.get("wf_token", "")
                if token and token != service.state_token(current, service.working_copy(current)):
                    name, when = service.who_last(current)
                    form.add_error(
                        None,
                        _(
                            "Trong lúc bạn sửa, %(who)s đã thay đổi mục này (lúc %(when)s). Nội dung bạn nhập vẫn "
                            "còn dưới đây: hãy xem Lịch sử hoặc so sánh, rồi bấm lại."
                        )
                        % {"who": name, "when": when},
                    )

    # Saving ------------------------------------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        kind = self.workflow
        action = self.workflow_action(request)
        state = request._wf_save = {"action": action, "copy": None, "via_copy": False, "stale": None}
        if change:
            row = service.lock(obj)
            copy = service.working_copy(row, lock=True)
            try:
                service.check_fresh(row, request.POST.get("wf_token", ""))
            except service.Stale as stale:
                revisions.record(obj, request.user, _("Nội dung gửi lúc mục vừa thay đổi (chưa áp dụng)"))
                state["stale"] = stale.message
                return
            state["copy"] = copy
            service.ensure_history(row)
            if kind.is_live(row):
                m2m = {
                    f.name: form.cleaned_data[f.name] for f in obj._meta.many_to_many if f.name in form.cleaned_data
                }
                state["via_copy"] = True
                unchanged = copy is None and service.snapshot(obj, m2m) == service.snapshot(row)
                if not unchanged:
                    state["copy"] = service.save_working_copy(
                        obj, request.user, m2m, copy, live=row, record=action == "save"
                    )
                return
        if not change and action not in ("publish", "schedule"):
            kind.make_unlive(obj)  # whatever the model's default, a new item reaches readers only through review
        if action == "save":
            kind.mark_draft(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        state = getattr(request, "_wf_save", None)
        if state is None:
            return super().save_related(request, form, formsets, change)
        for formset in formsets:  # (what the admin's change message reads, for formsets left unsaved)
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if state["stale"]:
            return
        obj = form.instance
        if state["via_copy"]:
            if self.can_publish(request):
                for formset in formsets:
                    self.save_formset(request, form, formset, change=change)
        else:
            super().save_related(request, form, formsets, change)
            copy = state["copy"]
            if copy is not None:
                if state["action"] == "save":
                    copy.delete()
                    copy = None
                elif copy.data:
                    copy.data = copy.base = None
                    copy.save()
            state["copy"] = copy
            if state["action"] == "save":
                revisions.record(obj, request.user, _("Lưu nháp"))
        self.run_transition(request, obj, state, form)

    def run_transition(self, request, obj, state, form):
        action, copy, user = state["action"], state["copy"], request.user
        link = self.admin_link(request, obj)
        kind = self.workflow
        try:
            with transaction.atomic():
                if action == "save":
                    state["message"] = (
                        _("Đã lưu bản sửa đổi. Người đọc vẫn thấy bản đang xuất bản cho đến khi bản sửa được duyệt.")
                        if state["via_copy"]
                        else _("Đã lưu bản nháp.")
                    )
                elif action == "submit":
                    service.submit(obj, user, copy, link)
                    state["message"] = _("Đã gửi duyệt. Người duyệt đã được báo qua e-mail.")
                elif action in ("publish", "schedule"):
                    when = form.cleaned_data.get("publish_at") if action == "schedule" else None
                    notes = service.publish(obj, user, copy, when=when, link=link)
                    state["notes"] = notes
                    state["message"] = (
                        _("Đã lên lịch xuất bản lúc %(when)s.")
                        % {"when": date_format(timezone.localtime(when), "H:i d/m/Y")}
                        if when
                        else _("Đã duyệt và xuất bản. Người đọc thấy bản mới ngay.")
                    )
                elif action == "return":
                    service.return_(obj, user, copy, request.POST.get("wf_comment", "").strip(), link)
                    state["message"] = _("Đã trả lại cho người viết, kèm nhận xét.")
                elif action == "unpublish":
                    service.unpublish(obj, user)
                    state["message"] = _("Đã gỡ xuống: người đọc không còn thấy %(noun)s này.") % {"noun": kind.noun}
        except service.Conflict as conflict:
            state["error"] = conflict.message
            state["redirect"] = reverse(self.url_name("conflict"), args=[obj.pk])
        except service.WorkflowError as error:
            state["error"] = error.message

    def workflow_response(self, request, obj):
        state = request._wf_save
        if state["stale"]:
            self.message_user(
                request,
                state["stale"]
                + " "
                + _("Thao tác của bạn chưa được thực hiện; nội dung bạn gửi được giữ trong Lịch sử."),
                messages.ERROR,
            )
        else:
            if state.get("message") and not state.get("error"):
                self.message_user(request, state["message"], messages.SUCCESS)
            for note in state.get("notes") or []:
                self.message_user(request, note, messages.WARNING)
            if state.get("error"):
                self.message_user(request, state["error"], messages.ERROR)
        if state.get("redirect"):
            return HttpResponseRedirect(state["redirect"])
        if (
            state["action"] == "save"
            and "_addanother" in request.POST
            and not state["stale"]
            and not state.get("error")
        ):
            return HttpResponseRedirect(reverse(self.url_name("add")))  # "Lưu và thêm mới"
        if state["action"] == "save" or state["stale"] or state.get("error"):
            return HttpResponseRedirect(reverse(self.url_name("change"), args=[obj.pk]))  # go on editing
        # Submitted, approved, returned, taken down: the work on it is done (and its edit lock let go).
        return HttpResponseRedirect(reverse(self.url_name("changelist")))

    def response_change(self, request, obj):
        if getattr(request, "_wf_save", None) is None:
            return super().response_change(request, obj)
        return self.workflow_response(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_wf_save", None) is None:
            return super().response_add(request, obj, post_url_continue)
        return self.workflow_response(request, obj)

    def delete_model(self, request, obj):
        service.record_deletion(obj, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            service.record_deletion(obj, request.user)
        super().delete_queryset(request, queryset)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is not None and self.workflow.is_live(obj) and not self.can_publish(request):
            for inline in inlines:  # read-only: attachments of what readers see change with a publisher
                inline.has_add_permission = lambda *a, **k: False
                inline.has_change_permission = lambda *a, **k: False
                inline.has_delete_permission = lambda *a, **k: False
                inline.max_num = inline.extra = 0
        return inlines

    # The change form's context -------------------------------------------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._wf_overlay = True
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        kind = self.workflow
        publisher = self.can_publish(request)
        copy = getattr(request, "_wf_copy", None)
        live = bool(obj is not None and obj.pk and getattr(request, "_wf_live", False))
        code, label = getattr(request, "_wf_state", ("draft", _("Bản nháp")))
        if add:
            code, label = "draft", _("Bản nháp mới")
        buttons = [("_wf_save", _("Lưu nháp"), "default")]
        if code != "pending":
            buttons.append(("_wf_submit", _("Gửi duyệt"), ""))
        if publisher:
            buttons.append(("_wf_publish", _("Duyệt & xuất bản"), "publish"))
            if kind.can_schedule and not live:
                buttons.append(("_wf_schedule", _("Lên lịch"), ""))
            if code in ("pending",) or (copy is not None and copy.state == WorkingCopy.State.PENDING):
                buttons.append(("_wf_return", _("Trả lại"), ""))
            if live and kind.can_unpublish:
                buttons.append(("_wf_unpublish", _("Gỡ xuống"), "danger"))
        preview_url = (
            reverse(self.url_name("preview"), args=[obj.pk])
            if obj is not None and obj.pk
            else reverse(self.url_name("preview_new"))
        )
        missing = [str(self.model._meta.get_field(n).verbose_name) for n in getattr(request, "_wf_missing", [])]
        context.update(
            workflow_state=code,
            workflow_label=label,
            workflow_live=live,
            workflow_copy=copy,
            workflow_buttons=buttons,
            workflow_token=getattr(request, "_wf_token", ""),
            workflow_comment=request.POST.get("wf_comment", "") if request.method == "POST" else "",
            workflow_can_return=any(b[0] == "_wf_return" for b in buttons),
            workflow_preview_url=preview_url,
            workflow_history_url=reverse(self.url_name("history"), args=[obj.pk])
            if obj is not None and obj.pk
            else "",
            workflow_compare_url=(
                reverse(self.url_name("compare"), args=[obj.pk]) + "?a=live&b=copy"
                if live and copy is not None and copy.data
                else ""
            ),
            workflow_deleted_url=reverse(self.url_name("deleted")),
            workflow_missing=missing,
            workflow_noun=kind.noun,
            workflow_add_another=self.workflow_add_another and self.has_add_permission(request),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Preview ---------------------------------------------------------------------------------------------------
    def preview_view(self, request, object_id=None):
        obj = None
        if object_id is not None:
            request._wf_overlay = True
            obj = self.get_object(request, object_id)
            if obj is None:
                raise Http404
            if not self.has_view_or_change_permission(request, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        m2m = dict(getattr(request, "_wf_m2m", {}))
        if request.method == "POST":
            request._wf_preview = True
            form_class = self.get_form(request, obj, change=obj is not None)
            form = form_class(request.POST, request.FILES, instance=obj)
            valid = form.is_valid()
            errors = [e for e in form.errors.get("__all__", []) if "Trong lúc bạn sửa" not in e]
            field_errors = {k: v for k, v in form.errors.items() if k != "__all__"}
            if not valid and (field_errors or errors):
                context = {
                    **self.admin_site.each_context(request),
                    "title": _("Chưa xem trước được"),
                    "form": form,
                    "errors": [(form.fields[k].label if k in form.fields else "", v) for k, v in field_errors.items()]
                    + [("", errors)],
                    "opts": self.opts,
                }
                return TemplateResponse(request, "admin/core/workflow/preview_errors.html", context)
            obj = form.instance
            for name, value in form.cleaned_data.items():
                field = next((f for f in obj._meta.many_to_many if f.name == name), None)
                if field is not None:
                    m2m[name] = [item.pk for item in value]
        response = self.preview_response(request, obj, m2m)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, private"
        return response

    # History, comparison, restore ----------------------------------------------------------------------------
    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(revisions.history(obj)[:200])
        copy = service.working_copy(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lịch sử: %(label)s") % {"label": self.workflow.label(obj)},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "versions": versions,
            "count": len(versions),
            "copy": copy,
            "live": self.workflow.is_live(obj),
            "can_restore": self.has_change_permission(request, obj),
            "compare_url": reverse(self.url_name("compare"), args=[obj.pk]),
            "change_url": reverse(self.url_name("change"), args=[obj.pk]),
            "restore_name": self.url_name("restore"),
            "audit_url": reverse("admin:index"),
        }
        return TemplateResponse(request, "admin/core/workflow/history.html", context)

    def side(self, request, obj, key, copy):
        """The field values of one side of a comparison: "live" (the row), "copy" (the working copy), or a
        version id."""
        if key == "live":
            return service.snapshot(obj), _("Bản đang lưu (người đọc thấy nếu đã xuất bản)")
        if key == "copy":
            if copy is None or not copy.data:
                return None, ""
            return copy.data, _("Bản sửa đổi (chưa xuất bản)")
        with contextlib.suppress(ValueError, TypeError):
            version = revisions.history(obj).filter(pk=int(key)).first()
            if version is not None:
                moment = date_format(timezone.localtime(version.revision.date_created), "H:i d/m/Y")
                who = service.display_name(version.revision.user) or "—"
                return revisions.stored_fields(version), f"{moment} · {who} · {version.revision.comment}"
        return None, ""

    def followed_side(self, obj, key):
        """{relation: [(pk, label)]} of one side of a comparison: the rows now ("live", "copy": a working copy
        carries no rows of its own) or those stored with a version."""
        if key in ("live", "copy"):
            return {name: service.followed(obj, name) for name in self.workflow.follow}
        version = None
        with contextlib.suppress(ValueError, TypeError):
            version = revisions.history(obj).filter(pk=int(key)).first()
        if version is None:
            return {}
        return {name: service.followed(version, name, self.model) for name in self.workflow.follow}

    def followed_rows(self, obj, a, b):
        """The comparison's rows for the files, attachments or photos that travel with each version."""
        left, right = self.followed_side(obj, a), self.followed_side(obj, b)
        rows = []
        for name in self.workflow.follow:
            if name not in left or name not in right:
                continue
            before = "; ".join(label for _pk, label in left[name])
            after = "; ".join(label for _pk, label in right[name])
            old, new = revisions.mark_words(before, after)
            related = self.model._meta.get_field(name).related_model
            rows.append(
                {
                    "label": str(related._meta.verbose_name_plural).capitalize(),
                    "old": old,
                    "new": new,
                    "changed": left[name] != right[name],
                }
            )
        return rows

    def compare_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        copy = service.working_copy(obj)
        left, left_label = self.side(request, obj, request.GET.get("a", "live"), copy)
        right, right_label = self.side(request, obj, request.GET.get("b", "copy"), copy)
        if left is None or right is None:
            self.message_user(
                request, _("Không tìm thấy phiên bản để so sánh; hãy chọn lại trong Lịch sử."), messages.WARNING
            )
            return HttpResponseRedirect(reverse(self.url_name("history"), args=[obj.pk]))
        rows = revisions.compare(self.model, self.workflow.copied_fields(), left, right)
        rows += self.followed_rows(obj, request.GET.get("a", "live"), request.GET.get("b", "copy"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("So sánh hai phiên bản: %(label)s") % {"label": self.workflow.label(obj)},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "rows": rows,
            "changed": sum(1 for r in rows if r["changed"]),
            "left_label": left_label,
            "right_label": right_label,
            "history_url": reverse(self.url_name("history"), args=[obj.pk]),
            "change_url": reverse(self.url_name("change"), args=[obj.pk]),
        }
        return TemplateResponse(request, "admin/core/workflow/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseRedirect(reverse(self.url_name("history"), args=[object_id]))
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(revisions.history(obj), pk=version_id)
        with transaction.atomic():
            copy, notes = service.restore(obj, request.user, version)
        self.message_user(
            request,
            _("Đã khôi phục phiên bản thành bản nháp. Bản đang xuất bản không đổi cho đến khi bản này được duyệt.")
            if self.workflow.is_live(obj)
            else _("Đã khôi phục phiên bản thành bản nháp; xem lại rồi bấm “Lưu nháp” hoặc “Gửi duyệt”."),
            messages.SUCCESS,
        )
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(reverse(self.url_name("change"), args=[obj.pk]))

    def conflict_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.can_publish(request):
            raise PermissionDenied
        change_url = reverse(self.url_name("change"), args=[obj.pk])
        if request.method == "POST":
            with transaction.atomic():
                row = service.lock(obj)
                copy = service.working_copy(row, lock=True)
                if copy is None or not copy.data:
                    name, when = service.who_last(row)
                    self.message_user(
                        request,
                        _("Bản sửa này không còn chờ: %(who)s đã xử lý lúc %(when)s.") % {"who": name, "when": when},
                        messages.WARNING,
                    )
                    return HttpResponseRedirect(change_url)
                if "_keep_copy" in request.POST:
                    try:
                        service.publish(row, request.user, copy, force=True, link=self.admin_link(request, row))
                    except service.WorkflowError as error:
                        self.message_user(request, error.message, messages.ERROR)
                        return HttpResponseRedirect(change_url)
                    self.message_user(
                        request, _("Đã xuất bản bản sửa đổi thay cho bản đang xuất bản."), messages.SUCCESS
                    )
                elif "_keep_live" in request.POST:
                    current = type(row)._default_manager.get(pk=row.pk)
                    service.apply(current, copy.data)
                    revisions.record(current, request.user, _("Bản sửa đổi không được chọn (giữ bản đang xuất bản)"))
                    copy.delete()
                    service.audit(request.user, row, _("Giữ bản đang xuất bản, bỏ bản sửa đổi"))
                    self.message_user(
                        request,
                        _("Đã giữ bản đang xuất bản. Bản sửa đổi vẫn xem được trong Lịch sử."),
                        messages.SUCCESS,
                    )
            return HttpResponseRedirect(change_url)
        copy = service.working_copy(obj)
        if copy is None or not copy.data:
            return HttpResponseRedirect(change_url)
        fields = self.workflow.copied_fields()
        live = service.snapshot(obj)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Chọn bản sẽ xuất bản: %(label)s") % {"label": self.workflow.label(obj)},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "rows": revisions.compare(self.model, fields, live, copy.data),
            "meanwhile": [r for r in revisions.compare(self.model, fields, copy.base or {}, live) if r["changed"]],
            "change_url": change_url,
            "history_url": reverse(self.url_name("history"), args=[obj.pk]),
        }
        return TemplateResponse(request, "admin/core/workflow/conflict.html", context)

    # Deleted drafts --------------------------------------------------------------------------------------------
    def deleted_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Đã xoá: %(kind)s") % {"kind": self.opts.verbose_name_plural},
            "subtitle": None,
            "opts": self.opts,
            "versions": list(revisions.deleted(self.model)[:200]),
            "days": revisions.keep_deleted_days(),
            "restore_name": self.url_name("restore_deleted"),
        }
        return TemplateResponse(request, "admin/core/workflow/deleted.html", context)

    def restore_deleted_view(self, request, version_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = revisions.deleted_version(self.model, version_id)
        if version is None:
            self.message_user(request, _("Mục này không còn trong danh sách đã xoá."), messages.WARNING)
            return HttpResponseRedirect(reverse(self.url_name("deleted")))
        needed = []
        stored = revisions.stored_fields(version)
        for field in self.model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and not field.null and field.name in stored:
                value = stored[field.name]
                if value is not None and not field.related_model._default_manager.filter(pk=value).exists():
                    needed.append(field)
        if request.method == "POST":
            replacements = {f.name: request.POST.get(f.name) for f in needed}
            try:
                with transaction.atomic():
                    obj, notes = service.restore_deleted(self.model, version, request.user, replacements)
            except service.WorkflowError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("Đã khôi phục thành bản nháp."), messages.SUCCESS)
                for note in notes:
                    self.message_user(request, note, messages.WARNING)
                return HttpResponseRedirect(reverse(self.url_name("change"), args=[obj.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Khôi phục mục đã xoá: %(label)s") % {"label": version.object_repr},
            "subtitle": None,
            "opts": self.opts,
            "version": version,
            "needed": [
                {
                    "name": f.name,
                    "label": str(f.verbose_name).capitalize(),
                    "choices": list(f.related_model._default_manager.all()[:500]),
                }
                for f in needed
            ],
            "deleted_url": reverse(self.url_name("deleted")),
        }
        return TemplateResponse(request, "admin/core/workflow/restore_deleted.html", context)

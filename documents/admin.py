from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.editing import EditingAdminMixin
from core.mediaforms import LibraryFileForm
from core.search import filter_by_text
from core.workflow import kinds as workflow
from core.workflow.admin import WorkflowAdminMixin

from .forms import DocumentAdminForm
from .models import Document, DocumentFile, DocumentType, Field, IssuingBody, Procedure, Validity
from .search import number_key


def can_publish(user):
    return user.has_perm("documents.publish_document")


class DocumentWorkflow(workflow.FlagWorkflow):
    """Legal documents in the shared workflow (core/workflow); their files travel with each version."""

    publish_permission = "documents.publish_document"
    noun = _("văn bản")
    follow = ("files",)


class ProcedureWorkflow(workflow.FlagWorkflow):
    """Procedures go through review like documents: an editor's procedure (or its link) reaches readers only
    once a publisher approves it."""

    publish_permission = "documents.publish_document"
    noun = _("thủ tục")


workflow.register(Document, DocumentWorkflow(Document))
workflow.register(Procedure, ProcedureWorkflow(Procedure))


class NamedItemAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slug", "used"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_used=Count("documents", distinct=True))

    @admin.display(description=_("Số văn bản"), ordering="_used")
    def used(self, obj):
        return obj._used


@admin.register(DocumentType)
class DocumentTypeAdmin(NamedItemAdmin):
    pass


@admin.register(IssuingBody)
class IssuingBodyAdmin(NamedItemAdmin):
    pass


@admin.register(Field)
class FieldAdmin(NamedItemAdmin):
    list_display = ["name", "position", "slug", "used", "procedures_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_procedures=Count("procedures", distinct=True))

    @admin.display(description=_("Số thủ tục"), ordering="_procedures")
    def procedures_count(self, obj):
        return obj._procedures


class DocumentFileInline(admin.TabularInline):
    model = DocumentFile
    form = LibraryFileForm  # upload into the media library or pick from it; kept when the form comes back
    extra = 1
    fields = ["title", "file", "position"]


class ValidityFilter(admin.SimpleListFilter):
    title = _("tình trạng hiệu lực")
    parameter_name = "hieu_luc"

    def lookups(self, request, model_admin):
        return Validity.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_validity().filter(current_validity=self.value())
        return queryset


@admin.register(Document)
class DocumentAdmin(EditingAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    form = DocumentAdminForm
    list_display = ["number", "doc_type", "short_summary", "issuer", "issued_on", "validity_label", "is_published"]
    list_display_links = ["number", "short_summary"]
    list_filter = ["is_published", ValidityFilter, "section", "doc_type", "issuer", "fields"]
    list_select_related = ["doc_type", "issuer"]
    date_hierarchy = "issued_on"
    search_fields = ["number", "summary"]
    filter_horizontal = ["fields"]
    inlines = [DocumentFileInline]
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["doc_type", "number", "summary", "issuer", "signer", "fields", "slug"]}),
        (_("Ngày và hiệu lực"), {"fields": ["issued_on", "effective_on", "expires_on", "validity_override"]}),
        (_("Công bố"), {"fields": ["section", "is_published"]}),
        (_("Lịch sử"), {"fields": ["created_by", "created_at", "updated_by", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector").with_validity()

    def get_search_results(self, request, queryset, search_term):
        # The public machinery: words of the summary (accents or not, last word a prefix) or any part of the number.
        key = number_key(search_term)
        extra = Q(number_key__contains=key) if key else None
        return filter_by_text(queryset, search_term, extra=extra), False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields.append("is_published")
        if obj and obj.is_published:
            fields.append("slug")  # frozen: links already given out must keep working
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Trích yếu"))
    def short_summary(self, obj):
        return obj.summary if len(obj.summary) <= 90 else obj.summary[:87] + "…"

    @admin.display(description=_("Hiệu lực"), ordering="current_validity")
    def validity_label(self, obj):
        return obj.validity.label

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def preview_response(self, request, obj, m2m):
        """The document's page as readers will see it (core/workflow: "Xem trước")."""
        from django.template.response import TemplateResponse

        obj.type_name = obj.doc_type.name if obj.doc_type_id else ""
        obj.issuer_name = obj.issuer.name if obj.issuer_id else ""
        ids = m2m.get("fields")
        fields = (
            list(Field.objects.filter(pk__in=ids)) if ids is not None else list(obj.fields.all()) if obj.pk else []
        )
        files = list(obj.files.all()) if obj.pk else []
        context = {"document": obj, "object": obj, "preview": True, "fields": fields, "files": files, "related": []}
        return TemplateResponse(request, "documents/detail.html", context)


@admin.register(Procedure)
class ProcedureAdmin(EditingAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "field", "level", "online", "is_published"]
    list_display_links = ["code", "name"]
    list_filter = ["is_published", "level", "online", "field"]
    list_select_related = ["field"]
    search_fields = ["code", "name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "level", "online", "url"]}),
        (_("Thông tin thêm"), {"fields": ["agency", "processing_time", "fee", "is_published"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector")

    def get_search_results(self, request, queryset, search_term):
        return filter_by_text(queryset, search_term, extra=Q(code__icontains=search_term.strip())), False

    def preview_response(self, request, obj, m2m):
        """The procedure as it will stand in the /thu-tuc-hanh-chinh/ list (core/workflow: "Xem trước")."""
        from django.core.paginator import Paginator
        from django.template.response import TemplateResponse

        from .forms import ProcedureFilterForm

        page = Paginator([obj], 50).get_page(1)
        context = {
            "form": ProcedureFilterForm(),
            "page_obj": page,
            "procedures": [obj],
            "is_paginated": False,
            "query_string": "",
            "filtered": False,
        }
        return TemplateResponse(request, "documents/procedures.html", context)

from django.core.paginator import Paginator
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, TemplateView

from core.publishing import can_preview

from .forms import DocumentFilterForm, ProcedureFilterForm
from .models import Document, Procedure
from .search import DocumentSearch, search_procedures

PAGE_SIZE = 20


class DocumentListView(TemplateView):
    """/van-ban/: published documents, newest first, with filters and a search (documents.search)."""

    template_name = "documents/list.html"

    def get_context_data(self, **kwargs):
        years = [day.year for day in Document.objects.published().dates("issued_on", "year", order="DESC")]
        form = DocumentFilterForm(self.request.GET, years=years)
        filters = form.filters()
        documents = (
            Document.objects.published()
            .for_listing()
            .with_validity()
            .filtered(
                doc_type=filters.get("loai"),
                issuer=filters.get("co_quan"),
                field=filters.get("linh_vuc"),
                year=filters.get("nam"),
                validity=filters.get("hieu_luc"),
            )
        )
        search = DocumentSearch(filters["q"]) if filters.get("q") else None
        documents = search.apply(documents) if search else documents.newest()
        page = Paginator(documents.prefetch_related("files"), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form,
            search=search,
            page_obj=page,
            documents=DocumentSearch.highlight(list(page.object_list)),
            is_paginated=page.has_other_pages(),
            query_string=form.query_string(),
            filtered=bool(filters),
            **kwargs,
        )


class DocumentDetailView(DetailView):
    template_name = "documents/detail.html"
    context_object_name = "document"

    def can_preview(self):
        return can_preview(self.request, "documents.change_document")

    def get_queryset(self):
        documents = (
            Document.objects.select_related("doc_type", "issuer")
            .prefetch_related("fields", "files")
            .defer("search_vector")
            .with_validity()
        )
        return documents if self.can_preview() else documents.published()

    def get_context_data(self, **kwargs):
        document = self.object
        fields = list(document.fields.all())
        related = (
            Document.objects.published()
            .filter(fields__in=fields)
            .exclude(pk=document.pk)
            .distinct()
            .for_listing()
            .with_validity()
            .newest()[:5]
            if fields
            else []
        )
        return super().get_context_data(
            preview=not document.is_published,
            fields=fields,
            files=list(document.files.all()),
            related=related,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["preview"]:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        return response


class ProcedureListView(TemplateView):
    """/thu-tuc-hanh-chinh/: procedures grouped by field, with a search and filters."""

    template_name = "documents/procedures.html"

    def get_context_data(self, **kwargs):
        form = ProcedureFilterForm(self.request.GET)
        filters = form.filters()
        procedures = Procedure.objects.published().select_related("field").defer("search_vector")
        if filters.get("linh_vuc"):
            procedures = procedures.filter(field=filters["linh_vuc"])
        if filters.get("cap"):
            procedures = procedures.filter(level=filters["cap"])
        if filters.get("q"):
            procedures = search_procedures(procedures, filters["q"])
        page = Paginator(procedures.order_by("field__position", "field__name", "code"), 50).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            form=form,
            page_obj=page,
            procedures=list(page.object_list),
            is_paginated=page.has_other_pages(),
            query_string=form.query_string(),
            filtered=bool(filters),
            **kwargs,
        )

"""Placeholder search view; the search issue replaces it with PostgreSQL full-text search."""

from django.views.generic import TemplateView


class SearchView(TemplateView):
    template_name = "base.html"

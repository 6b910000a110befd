"""Full-text search of published articles: the /tim-kiem/ page (views.py), its form (forms.py) and
the search itself (engine.py), built on core.search's Vietnamese search primitives.

Only what other news modules and the tests use is named here."""

from core.search import filter_by_text  # news.admin's article search

from .engine import ArticleSearch, register_provider
from .views import SearchView

__all__ = ["ArticleSearch", "SearchView", "filter_by_text", "register_provider"]

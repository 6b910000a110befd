"""The sitemap's sections, assembled from what each app offers (core.sitemaps has the views)."""

from documents.sitemaps import SECTIONS as DOCUMENTS
from news.sitemaps import SECTIONS as NEWS
from pages.sitemaps import SECTIONS as PAGES

SECTIONS = {**NEWS, **DOCUMENTS, **PAGES}

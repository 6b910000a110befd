"""The sitemap's sections, assembled from what each app offers (core.sitemaps has the views)."""

from consultation.sitemaps import SECTIONS as CONSULTATION
from documents.sitemaps import SECTIONS as DOCUMENTS
from gallery.sitemaps import SECTIONS as GALLERY
from news.sitemaps import SECTIONS as NEWS
from pages.sitemaps import SECTIONS as PAGES

SECTIONS = {**NEWS, **DOCUMENTS, **PAGES, **CONSULTATION, **GALLERY}

"""Sitemaps for search engines: the base every app's section uses, and the views.

/sitemap.xml is a plain <urlset> while the site has at most 50,000 URLs, and a sitemap index
pointing at /sitemap-<section>.xml?p=N pages beyond that (the protocol's limit per file).
/sitemap-index.xml is always the index. URLs are absolute on settings.SITE_URL, whatever host
the request came in on; lastmod is a full W3C datetime (UTC).

The sections are django.contrib.sitemaps classes (items/location/lastmod work as usual), but
the views write the XML from `rows()` directly: Django's own sitemap view reverses every URL
and renders a template per entry, about 10 seconds for a 50,000-URL page; `rows()` reads
three columns and formats strings, a fraction of a second. Every section's size comes from one
query (`count_all()`), and sections without URLs are left out.

Each app offers its sections (a dict name → class in its own sitemaps module); portal/sitemaps.py
assembles them and portal/urls.py passes them to these views as `sections`.
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.db.models import CharField, Func
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_safe

MAX_URLS_PER_FILE = 50_000
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_SLUG_MARK = "__slug__"


def w3c(moment):
    """A W3C datetime in UTC, as the rows' SQL writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


class W3CDatetime(Func):
    """The same format, written by PostgreSQL: no datetime parsing per row in Python."""

    template = "to_char((%(expressions)s) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    output_field = CharField()


class SiteUrlSitemap(Sitemap):
    """Absolute locations on settings.SITE_URL, and a fast `rows()` for the views."""

    @property
    def limit(self):
        return MAX_URLS_PER_FILE

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def count_queryset(self):
        """What `count` counts: one row per URL."""
        return self.items()

    @cached_property
    def count(self):
        return self.count_queryset().count()

    @property
    def num_pages(self):
        return max(1, -(-self.count // self.limit))

    def url_for(self, url_name):
        """A function slug → absolute URL, from one reverse() instead of one per row."""
        pattern = settings.SITE_URL + reverse(url_name, kwargs={"slug": _SLUG_MARK})
        return lambda slug: pattern.replace(_SLUG_MARK, slug)

    def rows(self, page):
        """(location, lastmod) pairs of one page; subclasses read only the columns they need."""
        raise NotImplementedError


def _instances(sections):
    return {name: cls() for name, cls in sections.items()}


def count_all(sections):
    """Fill in every section's `count` with one query (a scalar subquery per section) instead of one each."""
    parts, params = [], []
    for section in sections:
        sql, section_params = section.count_queryset().order_by().query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS counted)")  # noqa: S608 (SQL compiled by the ORM)
        params.extend(section_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        counts = cursor.fetchone()
    for section, count in zip(sections, counts, strict=True):
        section.__dict__["count"] = count  # the cached_property's value


def _xml_response(parts, latest=None):
    response = HttpResponse("".join(parts), content_type="application/xml; charset=utf-8")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if latest:
        response.headers["Last-Modified"] = http_date(latest.timestamp())
    return response


def _urlset(row_iterables):
    # Locations are made of SITE_URL and ASCII slugs; only SITE_URL could hold an XML special.
    escape = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{XMLNS}">\n']
    latest = None
    for rows in row_iterables:  # (location, W3C datetime text or None)
        for location, lastmod in rows:
            if lastmod:
                latest = lastmod if latest is None or lastmod > latest else latest  # same format: text order
                parts.append(f"<url><loc>{location.translate(escape)}</loc><lastmod>{lastmod}</lastmod></url>\n")
            else:
                parts.append(f"<url><loc>{location.translate(escape)}</loc></url>\n")
    parts.append("</urlset>\n")
    return _xml_response(parts, datetime.fromisoformat(latest) if latest else None)


@require_safe
def sitemap(request, sections):
    """/sitemap.xml: every URL in one file, or the index once there are more than 50,000."""
    sections = _instances(sections)
    count_all(sections.values())
    if sum(section.count for section in sections.values()) <= MAX_URLS_PER_FILE:
        return _urlset(section.rows(1) for section in sections.values() if section.count)
    return _index(sections)


@require_safe
def sitemap_index(request, sections):
    """The <sitemapindex>: one entry per page of each section, with the section's lastmod."""
    sections = _instances(sections)
    count_all(sections.values())
    return _index(sections)


def _index(sections):
    parts = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{XMLNS}">\n']
    latest = None
    for name, section in sections.items():
        if not section.count:
            continue
        location = settings.SITE_URL + reverse("sitemap-section", kwargs={"section": name})
        lastmod = section.get_latest_lastmod()
        if lastmod and (latest is None or lastmod > latest):
            latest = lastmod
        for page in range(1, section.num_pages + 1):
            url = location if page == 1 else f"{location}?p={page}"
            stamp = f"<lastmod>{w3c(lastmod)}</lastmod>" if lastmod else ""
            parts.append(f"<sitemap><loc>{url}</loc>{stamp}</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return _xml_response(parts, latest)


@require_safe
def sitemap_section(request, section, sections):
    """/sitemap-<section>.xml?p=N: one page (up to 50,000 URLs) of one section."""
    if section not in sections:
        raise Http404(f"No sitemap section {section!r}")
    sitemap = sections[section]()
    try:
        page = int(request.GET.get("p", "1"))
    except ValueError:
        raise Http404("Bad page number") from None
    if not 1 <= page <= sitemap.num_pages:
        raise Http404("No such page")
    return _urlset([sitemap.rows(page)])

"""Redirects ("Chuyển hướng"): an old address of a page that has moved keeps working.

Any app's moved page (an imported article's old URL, a renamed department page) and the editors' own
redirects live here, in one table. They are served where a 404 would be: `RedirectMiddleware`, low in
MIDDLEWARE, turns a GET/HEAD that ends in 404 into a redirect when the path (and, for old portals'
`Default.aspx?ArticleID=123`, the query string) is known. A live page is never shadowed.

Matching is forgiving the way the old servers were: the path is compared percent-decoded, in NFC,
lower case, without a trailing slash; the old query is a set of `key=value` pairs that the request's
query must contain (other parameters and their order do not matter; the row naming the most pairs
wins). Finding a redirect and counting its hit is one UPDATE … RETURNING, so a hit costs one statement
and parallel hits never lose a count. The page cache never stores a 404 nor a redirect it did not see
as a 200, so a path that starts redirecting is redirected at once.
"""

import logging
import unicodedata
from urllib.parse import parse_qsl, unquote, urlsplit

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import DatabaseError, connection, models
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAX_QUERY_PAIRS = 20  # of a request's query, compared with the stored pairs (the rest are ignored)
MAX_HOPS = 10  # a chain of redirects followed when looking for a loop


def path_key(path):
    """The form an old path is compared in: decoded, NFC, lower case, one leading and no trailing slash."""
    path = unicodedata.normalize("NFC", unquote(path or "", errors="replace")).strip().lower()
    path = "/" + "/".join(part for part in path.split("/") if part)
    return path


def query_pairs(query):
    """The `key=value` pairs of a query string, keys and values in lower case, sorted, each once."""
    pairs = parse_qsl(query or "", keep_blank_values=True)[:MAX_QUERY_PAIRS]
    return sorted(
        {unicodedata.normalize("NFC", f"{key.strip().lower()}={value.strip().lower()}") for key, value in pairs}
    )


def split_old_url(value):
    """(path, query) of what an editor pasted: a path, a path with its query, or a whole old URL."""
    parts = urlsplit((value or "").strip())
    return parts.path or "/", parts.query


class Redirect(models.Model):
    """An old address and where it leads now."""

    old_path = models.CharField(
        _("đường dẫn cũ"),
        max_length=500,
        help_text=_(
            "Đường dẫn của trang cũ, ví dụ /tin-tuc/hoi-nghi-123.html; có thể dán cả địa chỉ cũ "
            "(http://…/Default.aspx?ArticleID=123). Chỉ có tác dụng khi đường dẫn này không còn là một trang."
        ),
    )
    old_query = models.CharField(
        _("tham số cũ"),
        max_length=300,
        blank=True,
        help_text=_("Phần sau dấu ? cần khớp, ví dụ ArticleID=123. Để trống: khớp mọi tham số."),
    )
    target = models.CharField(
        _("chuyển tới"),
        max_length=500,
        help_text=_("Đường dẫn trang mới trong cổng thông tin, ví dụ /bai-viet/ten-bai-viet/."),
    )
    permanent = models.BooleanField(
        _("chuyển hướng vĩnh viễn (301)"),
        default=True,
        help_text=_("Bỏ chọn nếu trang chỉ tạm chuyển (302): công cụ tìm kiếm sẽ giữ địa chỉ cũ."),
    )
    hits = models.PositiveBigIntegerField(_("lượt dùng"), default=0, editable=False)
    last_hit_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # What requests are compared with (path_key, query_pairs): derived from old_path/old_query on save.
    path_key = models.CharField(max_length=500, editable=False)
    query_pairs = ArrayField(models.CharField(max_length=300), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("chuyển hướng")
        verbose_name_plural = _("chuyển hướng")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["path_key", "query_pairs"], name="core_redirect_old_address"),
        ]

    def __str__(self):
        return f"{self.old_address} → {self.target}"

    def save(self, *args, **kwargs):
        self.derive_keys()
        super().save(*args, **kwargs)

    @property
    def old_address(self):
        return f"{self.old_path}?{self.old_query}" if self.old_query else self.old_path

    def derive_keys(self):
        """Split a pasted URL into path and query, and compute what requests are compared with."""
        path, query = split_old_url(self.old_path)
        self.old_path = path
        if query and not self.old_query:
            self.old_query = query
        self.old_query = self.old_query.strip().lstrip("?")
        self.path_key = path_key(self.old_path)
        self.query_pairs = query_pairs(self.old_query)


def keep(moves, *, note="", user=None):
    """Make each (old address, target) of `moves` redirect there: new old addresses get a row, known ones
    their target changed. One INSERT … ON CONFLICT for them all (an importer calls this once per page). An
    old address that is its target's own path, or the home page, is left out."""
    rows = {}
    for address, target in moves:
        row = Redirect(old_path=address, target=target, note=note[:300], created_by=user)
        row.derive_keys()
        if row.path_key not in (path_key(target), "/"):
            rows[(row.path_key, tuple(row.query_pairs))] = row
    if rows:
        Redirect.objects.bulk_create(
            rows.values(), update_conflicts=True, unique_fields=["path_key", "query_pairs"], update_fields=["target"]
        )


def follow(path, query):
    """(target, permanent) of the redirect for this request path and query, or None; counts the hit.

    One statement: the best row (same path, all its query pairs present, most pairs first) is found and
    its count raised by UPDATE … RETURNING (no read-modify-write)."""
    table = Redirect._meta.db_table
    key, pairs = path_key(path), query_pairs(query)
    if "\x00" in key or any("\x00" in pair for pair in pairs):
        return None  # no stored address holds a NUL (PostgreSQL refuses it in text): nothing to look up
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET hits = hits + 1, last_hit_at = now()
            WHERE id = (
                SELECT id FROM {table}
                WHERE path_key = %s AND query_pairs <@ %s::varchar[]
                ORDER BY cardinality(query_pairs) DESC, id
                LIMIT 1
            )
            RETURNING target, permanent
            """,  # noqa: S608 — the table name is the model's; values are parameters
            [key, pairs],
        )
        return cursor.fetchone()


def chain(target, *, exclude=None):
    """The old addresses a target leads through when it is itself an old address: [key, key, …].

    Read-only (counts nothing); at most MAX_HOPS steps."""
    seen = []
    path, query = split_old_url(target)
    for _hop in range(MAX_HOPS):
        rows = Redirect.objects.filter(path_key=path_key(path), query_pairs__contained_by=query_pairs(query))
        if exclude is not None:
            rows = rows.exclude(pk=exclude)
        row = rows.order_by("-id").first()
        if row is None:
            break
        seen.append(row)
        path, query = split_old_url(row.target)
    return seen


class RedirectMiddleware:
    """Answers a GET/HEAD that would be a 404 with the redirect kept for its path, if there is one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            found = follow(request.path, request.META.get("QUERY_STRING", ""))
        except DatabaseError:
            logger.warning("redirects: lookup failed for %s", request.path, exc_info=True)
            return response
        if found is None:
            return response
        target, permanent = found
        redirect = HttpResponsePermanentRedirect(target) if permanent else HttpResponseRedirect(target)
        if not permanent:
            redirect["Cache-Control"] = "no-cache"
        return redirect

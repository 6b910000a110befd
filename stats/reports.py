"""What leaders see: traffic per day, most read articles, views per category, and their CSV files.

Titles and categories come from `news`, imported inside the functions: stats never imports news at
import time.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from .models import ArticleDay
from .services import box_numbers, local_day, traffic


@dataclass(frozen=True)
class DayRow:
    day: date
    visits: int
    views: int


@dataclass
class ArticleRow:
    rank: int
    article_id: int
    views: int
    title: str = ""
    url: str = ""
    admin_url: str = ""
    category: str = ""
    published: date | None = None
    exists: bool = True


@dataclass
class CategoryRow:
    category_id: int
    name: str
    views: int
    articles: int
    parent: str = ""
    children: list = field(default_factory=list)

    @property
    def total_views(self):
        return self.views + sum(child.views for child in self.children)

    @property
    def total_articles(self):
        return self.articles + sum(child.articles for child in self.children)


def summary(now=None):
    """The box's numbers, all-time article views included."""
    return box_numbers(now)


def daily(start, end):
    """One row per day from start to end inclusive, days without traffic as zeros."""
    rows = traffic(start, end)
    return [
        DayRow(day, *rows.get(day, (0, 0)))
        for day in (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    ]


def last_days(days, now=None):
    end = local_day(now or timezone.now())
    return daily(end - timedelta(days=days - 1), end)


def top_articles(start, end, limit=20):
    """The most read articles between start and end inclusive (two queries)."""
    from django.db.models import Sum
    from django.urls import reverse

    from news.models import Article

    ranked = list(
        ArticleDay.objects.filter(day__range=(start, end))
        .values("article_id")
        .annotate(n=Sum("views"))
        .order_by("-n", "article_id")[:limit]
    )
    articles = (
        Article.objects.for_listing().select_related("category__parent").in_bulk([row["article_id"] for row in ranked])
    )
    rows = []
    for rank, row in enumerate(ranked, start=1):
        item = ArticleRow(rank=rank, article_id=row["article_id"], views=row["n"])
        article = articles.get(row["article_id"])
        if article is None:
            item.exists = False
        else:
            item.title = article.title
            item.url = article.get_absolute_url()
            item.admin_url = reverse("admin:news_article_change", args=[article.pk])
            item.category = str(article.category)
            item.published = timezone.localtime(article.publish_at).date()
        rows.append(item)
    return rows


def category_totals(start, end):
    """Every category with the views of its articles between start and end (one query).

    Top-level categories come with their children; a parent's total includes them."""
    from news.models import Article, Category

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH per_article AS (
                SELECT article_id, sum(views) AS views FROM stats_articleday
                WHERE day BETWEEN %s AND %s GROUP BY article_id
            ), per_category AS (
                SELECT a.category_id, sum(p.views) AS views, count(*) AS articles
                FROM per_article p JOIN {Article._meta.db_table} a ON a.id = p.article_id
                GROUP BY a.category_id
            )
            SELECT c.id, c.name, c.parent_id, COALESCE(t.views, 0), COALESCE(t.articles, 0)
            FROM {Category._meta.db_table} c LEFT JOIN per_category t ON t.category_id = c.id
            ORDER BY c.position, c.name, c.id
            """,  # noqa: S608 — table names from the models, values as parameters
            [start, end],
        )
        flat = cursor.fetchall()
    rows = {
        cid: CategoryRow(category_id=cid, name=name, views=views, articles=articles)
        for cid, name, _parent, views, articles in flat
    }
    tops = []
    for cid, _name, parent_id, _views, _articles in flat:
        row = rows[cid]
        if parent_id and parent_id in rows:
            row.parent = rows[parent_id].name
            rows[parent_id].children.append(row)
        else:
            tops.append(row)
    for row in tops:
        row.children.sort(key=lambda child: (-child.views, child.name))
    tops.sort(key=lambda row: (-row.total_views, row.name))
    return tops


# ---------------------------------------------------------------------------------------------
# CSV: UTF-8 with a byte order mark, so Excel opens the Vietnamese text correctly.


def _safe(value):
    """A cell Excel will not run as a formula (titles are typed by people)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(header, rows):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell if isinstance(cell, int | date) else _safe(cell) for cell in row])
    return out.getvalue()

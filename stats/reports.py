"""What leaders see: traffic per day, most read articles, views per category, and their CSV files.

stats counts by article id; the titles, addresses and categories come from the catalogue the app
owning the articles registered with `core.labels` (news does, in its AppConfig.ready()).
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from core import labels

from .days import recent_days
from .services import box_numbers, traffic, views_between

ARTICLE = "article"  # the kind of thing stats counts, as named in core.labels


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
    """One row per day of the last `days` days, today included."""
    return daily(*recent_days(days, now))


@dataclass(frozen=True)
class Reading:
    """What was read in a period: views per article id, most read first, and the articles' names."""

    views: dict
    named: dict


def reading(start, end, limit=None):
    """The articles read between start and end inclusive (the `limit` most read only, if given), with
    their names from the catalogue registered for articles (two queries)."""
    views = views_between(start, end, limit)
    return Reading(views, labels.items(ARTICLE, views))


def top_articles(read, limit=20):
    """The `limit` most read articles of a Reading, ranked; deleted ones are marked, not dropped."""
    rows = []
    for rank, (article_id, views) in enumerate(list(read.views.items())[:limit], start=1):
        item = read.named.get(article_id)
        row = ArticleRow(rank=rank, article_id=article_id, views=views, exists=item is not None)
        if item is not None:
            row.title, row.url, row.admin_url = item.title, item.url, item.admin_url
            row.category, row.published = item.group, item.published
        rows.append(row)
    return rows


def category_totals(read):
    """Every category with the views of its articles in a Reading of every article read (one query).

    Top-level categories come with their children; a parent's total includes them."""
    views, articles = Counter(), Counter()
    for article_id, item in read.named.items():
        views[item.group_id] += read.views[article_id]
        articles[item.group_id] += 1
    groups = labels.groups(ARTICLE)
    rows = {
        group.id: CategoryRow(
            category_id=group.id, name=group.name, views=views[group.id], articles=articles[group.id]
        )
        for group in groups
    }
    tops = []
    for group in groups:
        row = rows[group.id]
        if group.parent_id and group.parent_id in rows:
            row.parent = rows[group.parent_id].name
            rows[group.parent_id].children.append(row)
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

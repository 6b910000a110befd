"""What readers read, in news's words: "Đọc nhiều" on the home page, and the articles' names on the
leaders' dashboard.

stats counts views by article id and knows nothing else of articles (stats.services); this module
turns its ids into published articles and titles:

- "Đọc nhiều" is a live block (stats.live): the home page carries its marker, and stats puts in the
  rendering kept in the cache for STATS_MOST_READ_SECONDS (5 minutes), so the block stays fresh
  however long the page cache keeps the home page. Saving or deleting an article drops the
  rendering, so an unpublished or renamed article does not linger there.
- The dashboard asks `core.labels` for the titles, addresses and categories of the ids it ranks;
  `ArticleCatalogue` answers.

`connect()` wires both, from NewsConfig.ready().
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import blocks, labels
from stats import live
from stats.services import top_article_ids

from .models import Article, Category

MOST_READ = "most-read"  # the live block's name: {% live_block "most-read" %} in news/home.html
ARTICLE = "article"  # the kind stats counts, in core.labels


def most_read_days():
    return getattr(settings, "STATS_MOST_READ_DAYS", 7)


def most_read(now=None, days=None, limit=None):
    """Published articles most read in the last `days` days (today included), most read first, each
    with `recent_views`. Two queries."""
    days = days or most_read_days()
    limit = limit or getattr(settings, "STATS_MOST_READ_COUNT", 5)
    # A few more candidates than shown: some of the most read may have been unpublished since.
    ranked = top_article_ids(days, limit * 4, now)
    articles = list(Article.objects.published().filter(pk__in=list(ranked)).only("id", "title", "slug", "publish_at"))
    for article in articles:
        article.recent_views = ranked[article.pk]
    articles.sort(key=lambda a: (-a.recent_views, -a.publish_at.timestamp(), -a.pk))
    return articles[:limit]


def render_most_read(now):
    """The block's HTML ("" when nothing was read: the home page shows no empty block)."""
    articles = most_read(now)
    if not articles:
        return ""
    return render_to_string("news/_most_read.html", {"articles": articles, "days": most_read_days()})


def most_read_seconds():
    return getattr(settings, "STATS_MOST_READ_SECONDS", 300)


def article_changed(sender, **kwargs):
    live.forget([MOST_READ])


class ArticleCatalogue:
    """The names of articles, for pages of apps that know them by id only (core.labels)."""

    def items(self, ids):
        articles = Article.objects.for_listing().select_related("category__parent").filter(pk__in=ids)
        return {
            article.pk: labels.Item(
                title=article.title,
                url=article.get_absolute_url(),
                admin_url=reverse("admin:news_article_change", args=[article.pk]),
                group_id=article.category_id,
                group=str(article.category),
                published=timezone.localdate(article.publish_at),
            )
            for article in articles
        }

    def groups(self):
        return [
            labels.Group(id=pk, name=name, parent_id=parent_id)
            for pk, name, parent_id in Category.objects.order_by("position", "name", "id").values_list(
                "id", "name", "parent_id"
            )
        ]


def connect():
    live.register(MOST_READ, render_most_read, most_read_seconds)
    # "Đọc nhiều" in the home page's sidebar (core.blocks): the live block's marker, filled in on the way out.
    blocks.register(
        MOST_READ,
        _("Đọc nhiều"),
        places=blocks.SIDEBAR,
        pages=("home",),
        order=50,
        render=live.page_block(MOST_READ),
        cache=False,
    )
    post_save.connect(article_changed, sender=Article, dispatch_uid="news.popular.save")
    post_delete.connect(article_changed, sender=Article, dispatch_uid="news.popular.delete")
    labels.register(ARTICLE, ArticleCatalogue())

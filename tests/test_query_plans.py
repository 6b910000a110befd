"""Every hot query of the public pages is backed by an index (checked with EXPLAIN)."""

import pytest
from django.db import connection

from news.models import Article, Category


@pytest.fixture
def data(make_article, category):
    child = Category.objects.create(name="Con", parent=category)
    for i in range(30):
        make_article(f"Bài {i}", category=child if i % 2 else category, featured=i < 3)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_article")
        # On a small table a sequential scan and a sort are always cheapest: penalise them, and the plan
        # shows the index that serves each query on a large table, already in the wanted order.
        cursor.execute("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off")
    return child


def plan(queryset):
    text = queryset.explain()
    assert "Sort" not in text, text  # rows come out of the index in order
    return text


def test_home_newest_and_featured(data):
    published = Article.objects.published().for_listing().newest()
    assert "article_published_idx" in plan(published[:8])
    assert "article_featured_idx" in plan(published.filter(featured=True)[:5])


def test_category_page_is_index_only(data, category):
    ids = Article.objects.published().filter(category__in=category.family_ids()).newest().values_list("pk")
    text = plan(ids[400:421])
    assert "Index Only Scan using article_published_idx" in text


def test_article_by_slug(data):
    text = plan(Article.objects.filter(slug="bai-1").order_by())  # as get() asks it
    assert "news_article_slug" in text and "Seq Scan" not in text


def test_related_articles(data, category):
    from news.views import category_newest

    related = category_newest(category.pk)
    assert "article_cat_published_idx" in plan(related)


def test_home_category_blocks(data, category, django_assert_max_num_queries):
    """The home blocks read each category's newest rows through the per-category index."""
    newest = Article.objects.published().for_listing().order_by("-publish_at", "-id")
    parts = [newest.filter(category_id=c)[:4] for c in (category.pk, data.pk)]
    text = plan(parts[0].union(parts[1], all=True))
    assert text.count("Index Scan using article_") == 2  # each category's newest rows straight from an index
    with django_assert_max_num_queries(3):
        blocks = Category.objects.menu_blocks()
    assert blocks and len(blocks[0][1]) == 4

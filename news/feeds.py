from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404

from .models import Article, Category


class LatestArticlesFeed(Feed):
    title = "Tin mới"
    link = "/"
    description = "Tin bài mới nhất"

    def items(self):
        return Article.objects.published().for_listing().newest()[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def items(self, obj):
        return Article.objects.published().filter(category=obj).for_listing().newest()[:50]

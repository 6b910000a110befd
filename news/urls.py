from django.urls import path

from . import feeds, search, views

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("tim-kiem/", search.SearchView.as_view(), name="search"),
    path("chuyen-muc/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("chuyen-muc/<slug:slug>/rss/", feeds.CategoryFeed(), name="category_rss"),
    path("bai-viet/<slug:slug>/", views.ArticleView.as_view(), name="article"),
]

from django.urls import path

from . import feeds, sections, views

app_name = "documents"

urlpatterns = [
    path("van-ban/", views.DocumentListView.as_view(), name="list"),
    path("van-ban/rss/", feeds.LatestDocumentsFeed(), name="rss"),
    path("van-ban/<slug:slug>/", views.DocumentDetailView.as_view(), name="detail"),
    path("thu-tuc-hanh-chinh/", views.ProcedureListView.as_view(), name="procedures"),
    path("cong-khai-ngan-sach/", sections.SectionView.as_view(group=sections.BUDGET), name="budget"),
    path("nhiem-vu-khcn/", sections.SectionView.as_view(group=sections.TASKS), name="tasks"),
]

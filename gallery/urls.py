from django.urls import path

from . import views

app_name = "gallery"

urlpatterns = [
    path("thu-vien-anh/", views.GalleryListView.as_view(), name="list"),
    path("thu-vien-anh/<slug:slug>/", views.GalleryView.as_view(), name="detail"),
    path("thu-vien-anh/<slug:slug>/anh-<int:number>/", views.PhotoView.as_view(), name="photo"),
    path("video/", views.VideoListView.as_view(), name="videos"),
    path("video/<slug:slug>/", views.VideoView.as_view(), name="video"),
]

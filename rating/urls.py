from django.urls import path

from . import views

app_name = "rating"

urlpatterns = [
    path("danh-gia/", views.RatingView.as_view(), name="submit"),
    path("danh-gia/cam-on/", views.ThanksView.as_view(), name="thanks"),
]

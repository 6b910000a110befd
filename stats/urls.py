from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("quyen-rieng-tu/", views.PrivacyView.as_view(), name="privacy"),
]

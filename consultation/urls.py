from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("lay-y-kien/", views.ConsultationListView.as_view(), name="list"),
    path("lay-y-kien/<slug:slug>/", views.ConsultationDetailView.as_view(), name="detail"),
]

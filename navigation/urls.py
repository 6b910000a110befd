from django.urls import path

from . import views

app_name = "navigation"

urlpatterns = [
    path("lien-ket/", views.web_links, name="web_links"),
]

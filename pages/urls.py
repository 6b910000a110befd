from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("gioi-thieu/", views.AboutView.as_view(), name="about"),
    path("lien-he/", views.ContactView.as_view(), name="contact"),
    path("en/about/", views.EnglishAboutView.as_view(), name="about_en"),
    path("en/contact/", views.EnglishContactView.as_view(), name="contact_en"),
]

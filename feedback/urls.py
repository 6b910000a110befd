from django.urls import path
from django.views.generic import TemplateView

app_name = "feedback"

# Placeholder routes; the feedback app replaces them.
urlpatterns = [
    path("gop-y/", TemplateView.as_view(template_name="base.html"), name="create"),
    path("hoi-dap/", TemplateView.as_view(template_name="base.html"), name="qa"),
]

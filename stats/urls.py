from django.urls import path
from django.views.generic import TemplateView

app_name = "stats"

# Placeholder routes; the stats app replaces them.
urlpatterns = [
    path("quyen-rieng-tu/", TemplateView.as_view(template_name="base.html"), name="privacy"),
]

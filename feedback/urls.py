from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("gop-y/", views.FeedbackCreateView.as_view(), name="create"),
    path("gop-y/da-gui/", views.ThanksView.as_view(), name="thanks"),
    path("gop-y/tra-cuu/", views.LookupView.as_view(), name="lookup"),
    path("hoi-dap/", views.QAListView.as_view(), name="qa"),
]

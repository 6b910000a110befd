from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("lich-cong-tac/", views.WeekView.as_view(), name="week"),
    path("lich-cong-tac/in/", views.PrintWeekView.as_view(), name="print"),
    path("lich-cong-tac/ical/", views.ical_feed, name="ical"),
]

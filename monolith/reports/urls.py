"""The report page, mounted at /reports/."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.sales_report_view, name="sales"),
]

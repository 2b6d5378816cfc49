"""The sales-report API, mounted at /api/reports/."""

from django.urls import path

from . import apis

app_name = "reports-api"
urlpatterns = [
    path("sales/", apis.SalesReportApi.as_view(), name="sales"),
    path("sales.csv", apis.SalesReportCsvApi.as_view(), name="sales-csv"),
]

"""Dashboard, printable report and CSV under `/programs/<slug>/`."""

from django.urls import path

from upward.insights import views

app_name = "insights"
urlpatterns = [
    path("programs/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("programs/<slug:slug>/report.csv", views.report_csv, name="report-csv"),
]

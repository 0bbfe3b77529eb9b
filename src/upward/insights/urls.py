"""Dashboard, printable report, CSV and PDF under `/programs/<slug>/`."""

from django.urls import path

from upward.insights import pdf, views

app_name = "insights"
urlpatterns = [
    path("programs/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("programs/<slug:slug>/report.csv", views.report_csv, name="report-csv"),
    path("programs/<slug:slug>/report.pdf", pdf.report_pdf, name="report-pdf"),
]

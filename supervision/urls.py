from django.urls import path

from supervision import views_overview

app_name = "supervision"

urlpatterns: list = [
    path("overview/", views_overview.overview, name="overview"),
    path("overview/report.docx", views_overview.report_docx_view, name="overview_report_docx"),
    path("overview/report.pdf", views_overview.report_pdf_view, name="overview_report_pdf"),
    path("overview/reports/", views_overview.report_job_start_view, name="overview_report_start"),
    path(
        "overview/reports/<slug:job_id>/",
        views_overview.report_job_status_view,
        name="overview_report_status",
    ),
    path(
        "overview/reports/<slug:job_id>/file",
        views_overview.report_job_file_view,
        name="overview_report_file",
    ),
]

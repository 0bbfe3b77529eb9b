"""Feedback pages under `/programs/<slug>/` and the check-in under `/pairs/…`."""

from django.urls import path

from upward.feedback import views

app_name = "feedback"
urlpatterns = [
    path("programs/<slug:slug>/survey/", views.survey, name="survey"),
    path("programs/<slug:slug>/support/", views.support, name="support"),
    path("programs/<slug:slug>/support/requests/", views.support_requests, name="support-requests"),
    path(
        "programs/<slug:slug>/support/requests/<int:request_id>/close/",
        views.support_request_close,
        name="support-request-close",
    ),
    path("pairs/<int:pair_id>/sessions/<int:session_id>/checkin/", views.checkin, name="checkin"),
]

"""URL map: pages, accounts (allauth), the JSON API and the (content-free) admin."""

from django.contrib import admin
from django.urls import include, path

from upward.api import api
from upward.core import views as core_views
from upward.mentoring import workspace_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("me/", core_views.profile, name="profile"),
    path("people/", include("upward.people.urls")),
    path("", include("upward.programs.urls")),  # /programs/, /topics/, /training/
    path("", include("upward.matching.urls")),  # /programs/<slug>/matching/…
    path("pairs/", include("upward.mentoring.urls")),
    path("", include("upward.feedback.urls")),
    path("", include("upward.insights.urls")),
    path("calendar/", workspace_views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", workspace_views.calendar_feed, name="calendar-feed"),
    path("programs/<slug:slug>/audit/", workspace_views.program_audit, name="program-audit"),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

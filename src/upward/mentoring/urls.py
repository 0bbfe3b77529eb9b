"""My pairs and the pair workspace: `/pairs/…` (calendar and audit pages: `upward.urls`)."""

from django.urls import path

from upward.mentoring import views, workspace_views

app_name = "mentoring"
urlpatterns = [
    path("", views.pair_list, name="list"),
    path("<int:pair_id>/", views.pair_detail, name="detail"),
    path("<int:pair_id>/accept/", views.pair_accept, name="accept"),
    path("<int:pair_id>/decline/", views.pair_decline, name="decline"),
    path("<int:pair_id>/end/", views.pair_end, name="end"),
    path("<int:pair_id>/agreement/", workspace_views.agreement, name="agreement"),
    path("<int:pair_id>/goals/", workspace_views.goal_list, name="goals"),
    path("<int:pair_id>/goals/<int:goal_id>/", workspace_views.goal_update, name="goal"),
    path("<int:pair_id>/sessions/", workspace_views.session_list, name="sessions"),
    path(
        "<int:pair_id>/sessions/<int:session_id>/", workspace_views.session_detail, name="session"
    ),
    path(
        "<int:pair_id>/sessions/<int:session_id>/invite.ics",
        workspace_views.session_ics,
        name="session-ics",
    ),
    path("<int:pair_id>/notes/", workspace_views.note_list, name="notes"),
    path(
        "<int:pair_id>/notes/<int:note_id>/delete/", workspace_views.note_delete, name="note-delete"
    ),
    path("<int:pair_id>/insights/", workspace_views.insight_list, name="insights"),
    path(
        "<int:pair_id>/insights/<int:insight_id>/outcome/",
        workspace_views.insight_decide,
        name="insight-outcome",
    ),
]

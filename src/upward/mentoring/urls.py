"""My pairs: `/pairs/` and `/pairs/<id>/` with accept, decline and end."""

from django.urls import path

from upward.mentoring import views

app_name = "mentoring"
urlpatterns = [
    path("", views.pair_list, name="list"),
    path("<int:pair_id>/", views.pair_detail, name="detail"),
    path("<int:pair_id>/accept/", views.pair_accept, name="accept"),
    path("<int:pair_id>/decline/", views.pair_decline, name="decline"),
    path("<int:pair_id>/end/", views.pair_end, name="end"),
]

"""Pages for programs (/programs/), the topic taxonomy (/topics/) and training (/training/).

Mounted at the site root so the three areas keep short addresses and one namespace.
`/programs/new/` is a fixed path, which is why no program is ever given the slug `new`.
"""

from django.urls import path

from upward.programs import views

app_name = "programs"
urlpatterns = [
    path("programs/", views.program_list, name="list"),
    path("programs/new/", views.program_create, name="create"),
    path("programs/<slug:slug>/", views.program_detail, name="detail"),
    path("programs/<slug:slug>/edit/", views.program_edit, name="edit"),
    path("programs/<slug:slug>/status/", views.program_transition, name="transition"),
    path(
        "programs/<slug:slug>/coordinators/",
        views.program_add_coordinator,
        name="add_coordinator",
    ),
    path("programs/<slug:slug>/apply/", views.program_apply, name="apply"),
    path("programs/<slug:slug>/enrol/", views.enrollment_add, name="enrol"),
    path("programs/<slug:slug>/enrol/bulk/", views.enrollment_bulk, name="enrol_bulk"),
    path(
        "programs/<slug:slug>/enrolments/<int:enrollment_id>/decision/",
        views.enrollment_decide,
        name="decide",
    ),
    path("topics/", views.topic_list, name="topics"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/<slug:topic_slug>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<slug:topic_slug>/retire/", views.topic_retire, name="topic_retire"),
    path("training/", views.training, name="training"),
    path("training/<slug:module_slug>/", views.training_module, name="training_module"),
]

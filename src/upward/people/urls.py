from django.urls import path

from upward.people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("<str:employee_id>/", views.person_detail, name="detail"),
]

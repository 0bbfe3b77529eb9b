"""Matching pages, under each program's address: `/programs/<slug>/matching/…`."""

from django.urls import path

from upward.matching import views

app_name = "matching"
urlpatterns = [
    path("programs/<slug:slug>/matching/", views.matching, name="home"),
    path("programs/<slug:slug>/matching/runs/", views.run_start, name="run_start"),
    path("programs/<slug:slug>/matching/runs/<int:number>/", views.run_detail, name="run"),
    path(
        "programs/<slug:slug>/matching/runs/<int:number>/progress/",
        views.run_progress,
        name="run_progress",
    ),
    path(
        "programs/<slug:slug>/matching/runs/<int:number>/publish/",
        views.run_publish,
        name="run_publish",
    ),
    path(
        "programs/<slug:slug>/matching/runs/<int:number>/proposals/<int:proposal_id>/rule/",
        views.proposal_rule,
        name="proposal_rule",
    ),
    path("programs/<slug:slug>/matching/rules/", views.rule_add, name="rule_add"),
    path(
        "programs/<slug:slug>/matching/rules/<int:rule_id>/remove/",
        views.rule_remove,
        name="rule_remove",
    ),
]

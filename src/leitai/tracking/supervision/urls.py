"""Supervision (督办): the in-app notices and the 双过半 early warning (under /tracking/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("notices/", views.notices, name="notices"),
    path("projects/warning/", views.warning, name="warning"),
]

"""The overview pages (under /tracking/): the organizer's supervision dashboard, the public page and a
unit's page of its items, pledges and key projects."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/<str:unit_code>/", views.unit_items, name="unit_items"),
    path("public/", views.public, name="public"),
]

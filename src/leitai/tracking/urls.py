"""Tracking URLs: items, pledges, dashboard and public pages (urls_items); key projects and battle maps
(urls_projects); follow-up reviews and feedback links (urls_reviews)."""

from django.urls import include, path

app_name = "tracking"

urlpatterns = [
    path("", include("leitai.tracking.urls_items")),
    path("projects/", include("leitai.tracking.urls_projects")),
    path("reviews/", include("leitai.tracking.urls_reviews")),
]

"""Tracking URLs, one list per room: board (dashboard, public page, a unit's page), items (with their import,
export and files), pledges, supervision (notices, early warning), transfer (from an arena), key projects
and battle maps (under projects/), follow-up reviews and feedback links (under reviews/)."""

from django.urls import include, path

app_name = "tracking"

urlpatterns = [
    path("", include("leitai.tracking.board.urls")),
    path("", include("leitai.tracking.items.urls")),
    path("", include("leitai.tracking.pledges.urls")),
    path("", include("leitai.tracking.supervision.urls")),
    path("", include("leitai.tracking.transfer.urls")),
    path("projects/", include("leitai.tracking.projects.urls")),
    path("reviews/", include("leitai.tracking.reviews.urls")),
]

"""Arena URLs: set-up and records (urls_setup), the live day (urls_live)."""

from django.urls import include, path

app_name = "arena"

urlpatterns = [
    path("", include("leitai.arena.urls_setup")),
    path("", include("leitai.arena.urls_live")),
]

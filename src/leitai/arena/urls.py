"""Arena URLs: set-up (setup.urls), the day (day.urls) and results (results.urls)."""

from django.urls import include, path

app_name = "arena"

urlpatterns = [
    path("", include("leitai.arena.setup.urls")),
    path("", include("leitai.arena.day.urls")),
    path("", include("leitai.arena.results.urls")),
]

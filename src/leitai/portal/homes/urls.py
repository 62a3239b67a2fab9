from django.urls import path

from . import views

# Included by portal.urls (app_name "portal").
urlpatterns = [
    path("home/judge/<int:judge_id>/open/", views.open_scoring, name="judge_open"),
]

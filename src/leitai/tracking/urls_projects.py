"""Key projects and battle maps (under /tracking/projects/), and the 双过半 early warning."""

from django.urls import path

from . import views_projects, views_warning

urlpatterns = [
    path("", views_projects.projects, name="projects"),
    path("import/", views_projects.import_projects, name="import_projects"),
    path("export.xlsx", views_projects.export_projects, name="export_projects"),
    path("show-at-arena/", views_projects.show_at_arena, name="show_at_arena"),
    path("warning/", views_warning.warning, name="warning"),
    path("map/<str:code>/", views_projects.battle_map, name="battle_map"),
    path("p/<str:code>/", views_projects.project, name="project"),
]

"""Key projects and battle maps (under /tracking/projects/); the 双过半 early warning at projects/warning/
is supervision's."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.projects, name="projects"),
    path("import/", views.import_projects, name="import_projects"),
    path("export.xlsx", views.export_projects, name="export_projects"),
    path("show-at-arena/", views.show_at_arena, name="show_at_arena"),
    path("map/<str:code>/", views.battle_map, name="battle_map"),
    path("p/<str:code>/", views.project, name="project"),
]

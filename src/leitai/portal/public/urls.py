from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<str:code>/", views.unit, name="unit"),
    path("releases/", views.releases, name="releases"),
    path("releases/new/", views.release_new, name="release_new"),
    path("releases/<int:pk>/", views.release, name="release"),
    path("releases/<int:pk>/docx/", views.release_docx, name="release_docx"),
    path("releases/<int:pk>/edit/", views.release_edit, name="release_edit"),
    path("releases/<int:pk>/correct/", views.release_correct, name="release_correct"),
    path("releases/<int:pk>/publish/", views.release_publish, name="release_publish"),
]

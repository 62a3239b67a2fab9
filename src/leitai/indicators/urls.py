"""Data pages under /data/: import, import history, template, data entry, value history."""

from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/", views.batches, name="batches"),
    path("template/", views.template, name="template"),
    path("entry/", views.entry, name="entry"),
    path("history/<int:pk>/", views.history, name="history"),
    path("references/", views.reference_list, name="references"),
    path("references/export/", views.reference_export, name="reference_export"),
    path("references/<int:pk>/history/", views.reference_history, name="reference_history"),
]

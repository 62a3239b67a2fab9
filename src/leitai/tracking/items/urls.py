"""Rectification items: the list, an item's page and actions, the new-item form, the business-help import,
the list's export and the evidence files (under /tracking/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("items/", views.items, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/import/", views.import_items, name="import_items"),
    path("items/export.xlsx", views.export_items, name="export_items"),
    path("items/<str:code>/", views.item, name="item"),
    path("items/<str:code>/act/", views.item_act, name="item_act"),
    path("items/<str:code>/measures/", views.item_measure, name="item_measure"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("files/<int:pk>/thumb/", views.attachment_thumb, name="attachment_thumb"),
]

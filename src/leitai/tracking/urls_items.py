"""Items, pledges, the supervision dashboard, public pages, import and exports (under /tracking/)."""

from django.urls import path

from . import views_dashboard, views_files, views_io, views_items, views_notices, views_public, views_transfer

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("items/", views_items.items, name="items"),
    path("items/new/", views_items.item_new, name="item_new"),
    path("items/import/", views_io.import_items, name="import_items"),
    path("items/export.xlsx", views_io.export_items, name="export_items"),
    path("items/<str:code>/", views_items.item, name="item"),
    path("items/<str:code>/act/", views_items.item_act, name="item_act"),
    path("items/<str:code>/measures/", views_items.item_measure, name="item_measure"),
    path("units/<str:unit_code>/", views_items.unit_items, name="unit_items"),
    path("pledges/", views_public.pledges, name="pledges"),
    path("pledges/export.xlsx", views_io.export_pledges, name="export_pledges"),
    path("pledges/import/", views_io.import_pledges, name="import_pledges"),
    path("notices/", views_notices.notices, name="notices"),
    path("pledges/<int:pk>/verdict/", views_public.pledge_verdict, name="pledge_verdict"),
    path("files/<int:pk>/", views_files.attachment, name="attachment"),
    path("files/<int:pk>/thumb/", views_files.attachment_thumb, name="attachment_thumb"),
    path("pledges/<int:pk>/evidence/", views_files.pledge_evidence, name="pledge_evidence"),
    path("public/", views_public.public, name="public"),
    path("from-arena/<int:pk>/", views_transfer.transfer, name="transfer"),
]

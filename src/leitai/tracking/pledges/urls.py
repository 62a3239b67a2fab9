"""Pledges (承诺/军令状): the list with the organizer's verdicts, the import, the export and a verdict's
evidence (under /tracking/pledges/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("pledges/", views.pledges, name="pledges"),
    path("pledges/export.xlsx", views.export_pledges, name="export_pledges"),
    path("pledges/import/", views.import_pledges, name="import_pledges"),
    path("pledges/<int:pk>/verdict/", views.pledge_verdict, name="pledge_verdict"),
    path("pledges/<int:pk>/evidence/", views.pledge_evidence, name="pledge_evidence"),
]

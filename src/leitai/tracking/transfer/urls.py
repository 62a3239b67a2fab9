"""转入督办: an arena's shortcomings and pledges into the lists (under /tracking/from-arena/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("from-arena/<int:pk>/", views.transfer, name="transfer"),
]

from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/certificate.<str:ext>", views.certificate, name="certificate"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("kinds/", views.kinds, name="kinds"),
    path("kinds/new/", views.kind_edit, name="kind_new"),
    path("kinds/<int:pk>/", views.kind, name="kind"),
    path("kinds/<int:pk>/edit/", views.kind_edit, name="kind_edit"),
    path("kinds/<int:pk>/grant/", views.kind_grant, name="kind_grant"),
    path("grant/", views.grant, name="grant"),
    path("nominate/", views.nominate, name="nominate"),
    path("pending/", views.pending, name="pending"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/members/<int:pk>/end/", views.end_membership, name="end_membership"),
]

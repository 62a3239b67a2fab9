from django.urls import include, path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("panel/", include("leitai.portal.panel.urls")),
    path("", include("leitai.portal.homes.urls")),
]

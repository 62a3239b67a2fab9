from django.urls import path

from leitai.portal.profiles import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("people/", views.people, name="people"),
    path("people/appoint/", views.appoint, name="appoint"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("<str:code>/", views.unit_detail, name="detail"),
]

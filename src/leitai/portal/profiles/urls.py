from django.urls import path

from leitai.portal.profiles import views

app_name = "units"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("people/", views.people, name="people"),
    path("people/appoint/", views.appoint, name="appoint"),
    path("people/compare/", views.compare, name="compare"),
    path("people/compare/docx/", views.compare_docx, name="compare_docx"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/docx/", views.person_docx, name="person_docx"),
    path("people/<int:pk>/publish/", views.publish_record, name="publish_record"),
    path("<str:code>/", views.unit_detail, name="detail"),
]

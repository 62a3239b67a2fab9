from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("schemes/new/", views.scheme_edit, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/compute/", views.compute, name="compute"),
    path("units/<str:code>/", views.unit_history, name="unit_history"),
    path("<int:pk>/", views.board, name="board"),
    path("<int:pk>/units/<str:code>/", views.unit, name="unit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/export.zip", views.export_zip, name="export"),
    path("<int:pk>/bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
]

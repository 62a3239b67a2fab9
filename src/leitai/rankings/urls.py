from django.urls import path

from . import views, views_plans

app_name = "rankings"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/export.zip", views.export_zip, name="export"),
    path("<int:pk>/bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("<int:pk>/bulletin.docx", views.bulletin_docx, name="bulletin_docx"),
    path("plans/", views_plans.plans, name="plans"),
    path("plans/<int:pk>/", views_plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/compute/", views_plans.compute, name="compute"),
    path("adjustments/", views_plans.adjustments, name="adjustments"),
    path("adjustments/<int:pk>/withdraw/", views_plans.withdraw, name="withdraw"),
]

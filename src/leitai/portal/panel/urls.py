from django.urls import path

from leitai.portal.panel import views

urlpatterns = [
    # /j/<token>/ like the arena's judge links: the logs mask the token (config.logs).
    path("j/<str:token>/c/<int:contestant_id>/", views.judge_panel, name="judge_panel"),
    path("j/<str:token>/now/", views.judge_panel_now, name="judge_panel_now"),
]

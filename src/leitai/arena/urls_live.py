"""Arena pages of the day: the organizer's console, the judges' phones, the big screen and the live
streams (included by leitai.arena.urls under app_name "arena")."""

from django.urls import path

from . import views_live, views_live_judge, views_slides

urlpatterns = [
    path("<int:pk>/console/", views_live.console, name="console"),
    path("<int:pk>/console/body/", views_live.console_body, name="console_body"),
    path("contestants/<int:contestant_id>/advance/", views_live.advance, name="console_advance"),
    path("<int:pk>/console/reveal-all/", views_live.reveal_all, name="console_reveal_all"),
    path("<int:pk>/console/publish/", views_live.publish, name="console_publish"),
    path("<int:pk>/console/ranking/", views_live.ranking, name="console_ranking"),
    path("j/<str:token>/ranking/", views_live_judge.judge_ranking, name="judge_ranking"),
    path("<int:pk>/screen/", views_live.screen, name="screen"),
    path("<int:pk>/screen/slides/<int:contestant_id>/<int:page>.png", views_slides.screen_slide, name="screen_slide"),
    path("contestants/<int:contestant_id>/show-slides/", views_live.show_slides, name="console_slides"),
    path("<int:pk>/stream/", views_live.stream, name="stream"),
    path("j/<str:token>/", views_live_judge.judge, name="judge"),
    path("j/<str:token>/stream/", views_live_judge.judge_stream, name="judge_stream"),
    path("j/<str:token>/c/<int:contestant_id>/", views_live_judge.judge_form, name="judge_form"),
    path("j/<str:token>/slides/<int:contestant_id>/", views_slides.judge_slides, name="judge_slides"),
    path("j/<str:token>/slides/<int:contestant_id>/<int:page>.png", views_slides.judge_slides_page, name="judge_slides_page"),
    path("j/<str:token>/slides/<int:contestant_id>/pdf/", views_slides.judge_slides_pdf, name="judge_slides_pdf"),
    path("j/<str:token>/c/<int:contestant_id>/submit/", views_live_judge.judge_submit, name="judge_submit"),
]

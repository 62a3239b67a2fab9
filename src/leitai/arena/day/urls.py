"""Arena pages of the day: the organizer's console, the judges' phones, the big screen, the live streams,
the contestants' slides, the records of the day (questions, comments, shortcomings) and paper sheets (included by leitai.arena.urls under app_name "arena")."""

from django.urls import path

from leitai.arena.day import (
    views_console,
    views_floor,
    views_judge,
    views_paper,
    views_records,
    views_screen,
    views_slides,
)

urlpatterns = [
    path("<int:pk>/console/", views_console.console, name="console"),
    path("<int:pk>/console/body/", views_console.console_body, name="console_body"),
    path("contestants/<int:contestant_id>/advance/", views_console.advance, name="console_advance"),
    path("contestants/<int:contestant_id>/reopen/", views_console.reopen, name="console_reopen"),
    path("<int:pk>/console/reveal-all/", views_console.reveal_all, name="console_reveal_all"),
    path("<int:pk>/console/ranking/", views_console.ranking, name="console_ranking"),
    path("j/<str:token>/hand/", views_floor.judge_hand, name="judge_hand"),
    path("contestants/<int:contestant_id>/floor/", views_floor.console_queue, name="floor"),
    path("contestants/<int:contestant_id>/floor/<str:action>/", views_floor.console_action, name="floor_action"),
    path("j/<str:token>/ranking/", views_judge.judge_ranking, name="judge_ranking"),
    path("<int:pk>/screen/", views_console.screen, name="screen"),
    path("<int:pk>/console/screen-stage/", views_screen.screen_stage, name="console_screen_stage"),
    path("<int:pk>/screen/slides/<int:contestant_id>/<int:page>.png", views_slides.screen_slide, name="screen_slide"),
    path("contestants/<int:contestant_id>/show-slides/", views_console.show_slides, name="console_slides"),
    path("<int:pk>/stream/", views_console.stream, name="stream"),
    path("j/<str:token>/", views_judge.judge, name="judge"),
    path("j/<str:token>/stream/", views_judge.judge_stream, name="judge_stream"),
    path("j/<str:token>/c/<int:contestant_id>/", views_judge.judge_form, name="judge_form"),
    path("j/<str:token>/slides/<int:contestant_id>/", views_slides.judge_slides, name="judge_slides"),
    path("j/<str:token>/slides/<int:contestant_id>/<int:page>.png", views_slides.judge_slides_page, name="judge_slides_page"),
    path("j/<str:token>/slides/<int:contestant_id>/pdf/", views_slides.judge_slides_pdf, name="judge_slides_pdf"),
    path("j/<str:token>/c/<int:contestant_id>/submit/", views_judge.judge_submit, name="judge_submit"),
    path("contestants/<int:contestant_id>/slides/", views_slides.slides, name="slides"),
    path("contestants/<int:contestant_id>/slides/<int:page>.png", views_slides.slides_page, name="slides_page"),
    path("contestants/<int:contestant_id>/slides/pdf/", views_slides.slides_pdf, name="slides_pdf"),
    path("<int:pk>/records/", views_records.records, name="records"),
    path("<int:pk>/records/question/", views_records.add_question, name="add_question"),
    path("<int:pk>/records/comment/", views_records.add_comment, name="add_comment"),
    path("<int:pk>/records/shortcoming/", views_records.add_shortcoming, name="add_shortcoming"),
    path("<int:pk>/paper/", views_paper.paper, name="paper"),
    path("sheets/<int:sheet_id>/confirm/", views_paper.confirm, name="confirm_sheet"),
]

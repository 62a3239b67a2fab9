"""Arena pages before and after the day: list, creation, set-up, token sheet, submissions, records of the
day, paper sheets and results (included by leitai.arena.urls under app_name "arena")."""

from django.urls import path

from . import (
    views_paper,
    views_records,
    views_results,
    views_setup,
    views_setup_actions,
    views_slides,
    views_submission,
    views_tokens,
)

urlpatterns = [
    path("", views_setup.arena_list, name="list"),
    path("new/", views_setup.create, name="create"),
    path("<int:pk>/setup/", views_setup.setup, name="setup"),
    path("<int:pk>/setup/contestants/", views_setup_actions.add_contestants, name="add_contestants"),
    path("contestants/<int:contestant_id>/remove/", views_setup_actions.remove_contestant, name="remove_contestant"),
    path("<int:pk>/setup/order/", views_setup_actions.set_order, name="set_order"),
    path("<int:pk>/setup/rubric/", views_setup_actions.rubric, name="rubric"),
    path("<int:pk>/setup/scoring/", views_setup_actions.scoring_mode, name="scoring_mode"),
    path("<int:pk>/setup/judges/", views_setup_actions.add_judge, name="add_judge"),
    path("<int:pk>/setup/judges/bulk/", views_setup_actions.bulk_judges, name="bulk_judges"),
    path("<int:pk>/setup/deadline/", views_setup_actions.deadline, name="deadline"),
    path("<int:pk>/setup/lock/", views_setup_actions.lock, name="lock"),
    path("judges/<int:judge_id>/token/", views_tokens.issue, name="issue_token"),
    path("judges/<int:judge_id>/revoke/", views_tokens.revoke, name="revoke_token"),
    path("<int:pk>/tokens/", views_tokens.sheet, name="tokens"),
    path("contestants/<int:contestant_id>/submission/", views_submission.submission, name="submission"),
    path("contestants/<int:contestant_id>/submission/row/", views_submission.add_row, name="submission_row"),
    path("contestants/<int:contestant_id>/slides/", views_slides.slides, name="slides"),
    path("contestants/<int:contestant_id>/slides/<int:page>.png", views_slides.slides_page, name="slides_page"),
    path("contestants/<int:contestant_id>/slides/pdf/", views_slides.slides_pdf, name="slides_pdf"),
    path("my-submissions/", views_submission.my_submissions, name="my_submissions"),
    path("<int:pk>/records/", views_records.records, name="records"),
    path("<int:pk>/records/question/", views_records.add_question, name="add_question"),
    path("<int:pk>/records/comment/", views_records.add_comment, name="add_comment"),
    path("<int:pk>/records/shortcoming/", views_records.add_shortcoming, name="add_shortcoming"),
    path("<int:pk>/paper/", views_paper.paper, name="paper"),
    path("sheets/<int:sheet_id>/confirm/", views_paper.confirm, name="confirm_sheet"),
    path("<int:pk>/results/", views_results.results, name="results"),
    path("<int:pk>/export.zip", views_results.export_zip, name="export"),
]

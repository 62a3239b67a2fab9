"""Arena pages before the day: list, creation, set-up, token sheet and the contestants' submissions
(included by leitai.arena.urls under app_name "arena")."""

from django.urls import path

from leitai.arena.setup import views, views_actions, views_submission, views_tokens

urlpatterns = [
    path("", views.arena_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/setup/", views.setup, name="setup"),
    path("<int:pk>/setup/contestants/", views_actions.add_contestants, name="add_contestants"),
    path("contestants/<int:contestant_id>/remove/", views_actions.remove_contestant, name="remove_contestant"),
    path("<int:pk>/setup/order/", views_actions.set_order, name="set_order"),
    path("<int:pk>/setup/rubric/", views_actions.rubric, name="rubric"),
    path("<int:pk>/setup/scoring/", views_actions.scoring_mode, name="scoring_mode"),
    path("<int:pk>/setup/judges/", views_actions.add_judge, name="add_judge"),
    path("<int:pk>/setup/judges/bulk/", views_actions.bulk_judges, name="bulk_judges"),
    path("<int:pk>/setup/deadline/", views_actions.deadline, name="deadline"),
    path("<int:pk>/setup/lock/", views_actions.lock, name="lock"),
    path("<int:pk>/setup/quorum/", views_actions.quorum, name="quorum"),
    path("judges/<int:judge_id>/token/", views_tokens.issue, name="issue_token"),
    path("judges/<int:judge_id>/revoke/", views_tokens.revoke, name="revoke_token"),
    path("<int:pk>/tokens/", views_tokens.sheet, name="tokens"),
    path("contestants/<int:contestant_id>/submission/", views_submission.submission, name="submission"),
    path("contestants/<int:contestant_id>/submission/row/", views_submission.add_row, name="submission_row"),
    path("my-submissions/", views_submission.my_submissions, name="my_submissions"),
]

"""Follow-up reviews (回头看) and the raiser's feedback link (under /tracking/reviews/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.reviews, name="reviews"),
    path("mine/", views.my_reviews, name="my_reviews"),
    path("round/<int:pk>/", views.review_round, name="review_round"),
    path("round/<int:pk>/export.xlsx", views.export_round, name="export_review_round"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
]

"""Follow-up reviews (回头看) and the raiser's feedback link (under /tracking/reviews/)."""

from django.urls import path

from . import views_reviews

urlpatterns = [
    path("", views_reviews.reviews, name="reviews"),
    path("mine/", views_reviews.my_reviews, name="my_reviews"),
    path("round/<int:pk>/", views_reviews.review_round, name="review_round"),
    path("round/<int:pk>/export.xlsx", views_reviews.export_round, name="export_review_round"),
    path("feedback/<str:token>/", views_reviews.feedback, name="feedback"),
]

from django.urls import path

from medlead.talent import views

app_name = "talent"
urlpatterns = [
    path("succession/", views.succession, name="succession"),
    path("succession/<int:pk>/", views.succession_post, name="post"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("nominate/", views.nominate, name="nominate"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review, name="review"),
]

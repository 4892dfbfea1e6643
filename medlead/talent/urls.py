from django.urls import path

from medlead.talent import pool_views, views

app_name = "talent"
urlpatterns = [
    path("succession/", views.succession, name="succession"),
    path("succession/<int:pk>/", views.succession_post, name="post"),
    path("succession/<int:pk>/successors/add/", views.successor_add, name="successor_add"),
    path("succession/<int:pk>/successors/readiness/", views.successor_change, name="successor_change"),
    path("succession/<int:pk>/successors/remove/", views.successor_remove, name="successor_remove"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("nominate/", views.nominate, name="nominate"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("pool/", pool_views.pool, name="pool"),
    path("pool/me/", pool_views.pool_mine, name="pool_mine"),
    path("pool/me/join/", pool_views.pool_join, name="pool_join"),
    path("pool/me/leave/", pool_views.pool_leave, name="pool_leave"),
]

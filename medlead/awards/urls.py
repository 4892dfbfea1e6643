from django.urls import path

from medlead.awards import views

app_name = "awards"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.start, name="start"),
    path("summary/", views.summary, name="summary"),
    path("<int:pk>/", views.application, name="application"),
    path("<int:pk>/draft/", views.draft_save, name="draft"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/submit/confirm/", views.submit_confirm, name="submit_confirm"),
    path("<int:pk>/submitted/", views.submitted, name="submitted"),
    path("<int:pk>/verification/", views.verify, name="verify"),
    path("<int:pk>/verification/confirm/", views.verify_confirm, name="verify_confirm"),
    path("<int:pk>/verification/recorded/", views.verified, name="verified"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/outcome/confirm/", views.outcome_confirm, name="outcome_confirm"),
    path("<int:pk>/outcome/recorded/", views.outcome_recorded, name="outcome_recorded"),
]

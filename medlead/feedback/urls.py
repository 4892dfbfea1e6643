"""The feedback app's addresses (namespace ``feedback``): the exercise's collecting side here, the report's side in
``report_urls``."""

from __future__ import annotations

from django.urls import path

from medlead.feedback import report_urls
from medlead.feedback.views import exercise, paper, public, questionnaires

app_name = "feedback"
urlpatterns = [
    path("t/<str:trust_code>/revalidation-feedback/", exercise.home, name="home"),
    path("t/<str:trust_code>/revalidation-feedback/new/", exercise.start, name="start"),
    path("t/<str:trust_code>/revalidation-feedback/new/confirm/", exercise.start_confirm, name="start_confirm"),
    path(
        "t/<str:trust_code>/revalidation-feedback/questionnaires/",
        questionnaires.questionnaires,
        name="questionnaires",
    ),
    path(
        "t/<str:trust_code>/revalidation-feedback/questionnaires/new/",
        questionnaires.questionnaire_add,
        name="questionnaire_add",
    ),
    path(
        "t/<str:trust_code>/revalidation-feedback/questionnaires/new/confirm/",
        questionnaires.questionnaire_add_confirm,
        name="questionnaire_add_confirm",
    ),
    path("t/<str:trust_code>/revalidation-feedback/<int:pk>/", exercise.exercise, name="exercise"),
    path("t/<str:trust_code>/revalidation-feedback/<int:pk>/invite/", exercise.invite, name="invite"),
    path("t/<str:trust_code>/revalidation-feedback/<int:pk>/cards/", exercise.cards, name="cards"),
    path("t/<str:trust_code>/revalidation-feedback/<int:pk>/cards/pdf/", exercise.cards_pdf, name="cards_pdf"),
    path("t/<str:trust_code>/revalidation-feedback/<int:pk>/paper/<str:kind>/", paper.paper, name="paper"),
    path("colleague-feedback/<str:token>/", public.colleague, name="colleague"),
    path("patient-feedback/", public.patient_start, name="patient_start"),
    path("patient-feedback/<str:code>/", public.patient, name="patient"),
    *report_urls.urlpatterns,
]

from django.urls import path

from medlead.concerns.views import actions, cases, decisions, outcomes, reviews, tasks

app_name = "concerns"
urlpatterns = [
    path("", cases.cases, name="cases"),
    path("new/", cases.case_new, name="new"),
    path("waiting/", tasks.waiting, name="waiting"),
    path("<int:pk>/", cases.case, name="case"),
    path("<int:pk>/evidence/<int:evidence_pk>/", cases.evidence_file, name="evidence_file"),
    path("<int:pk>/audit/", cases.case_audit, name="audit"),
    # each action on the case page posts to a view of its own
    path("<int:pk>/people/", actions.role_add, name="role_add"),
    path("<int:pk>/health-access/", actions.health_access, name="health_access"),
    path("<int:pk>/advice/", actions.advice_add, name="advice_add"),
    path("<int:pk>/measures/", decisions.measure_check, name="measure_add"),
    path("<int:pk>/measures/confirm/", decisions.measure_confirm, name="measure_confirm"),
    path("<int:pk>/measures/<int:measure_pk>/recorded/", decisions.measure_recorded, name="measure_recorded"),
    path("<int:pk>/measures/<int:measure_pk>/review/", reviews.measure_review, name="measure_review"),
    path("<int:pk>/measures/<int:measure_pk>/review/confirm/", reviews.review_confirm, name="review_confirm"),
    path("<int:pk>/measures/<int:measure_pk>/reviewed/", reviews.measure_reviewed, name="measure_reviewed"),
    path("<int:pk>/decision/", decisions.decision_check, name="decide"),
    path("<int:pk>/decision/confirm/", decisions.decision_confirm, name="decision_confirm"),
    path("<int:pk>/decision/recorded/", decisions.decision_recorded, name="decision_recorded"),
    path("<int:pk>/investigation/", actions.investigation_start, name="investigation_start"),
    path("<int:pk>/investigation/update/", outcomes.investigation_update, name="investigation_update"),
    path("<int:pk>/investigation/confirm/", outcomes.investigation_confirm, name="investigation_confirm"),
    path("<int:pk>/investigation/recorded/", outcomes.investigation_recorded, name="investigation_recorded"),
    path("<int:pk>/evidence/", actions.evidence_add, name="evidence_add"),
    path("<int:pk>/hand-over/", outcomes.hand_over, name="hand_over"),
    path("<int:pk>/hand-over/confirm/", outcomes.hand_over_confirm, name="hand_over_confirm"),
    path("handed-over/", outcomes.handed_over, name="handed_over"),
    path("<int:pk>/close/", reviews.close_check, name="close"),
    path("<int:pk>/close/confirm/", reviews.close_confirm, name="close_confirm"),
    path("<int:pk>/closed/", reviews.closed, name="closed"),
]

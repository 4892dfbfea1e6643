from django.urls import path

from medlead.concerns import views

app_name = "concerns"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/audit/", views.case_audit, name="audit"),
]

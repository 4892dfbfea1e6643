from django.urls import path

from medlead.leadership import views

app_name = "leadership"
urlpatterns = [
    path("t/<str:trust_code>/leadership/", views.home, name="home"),
    path("t/<str:trust_code>/leadership/frameworks/<int:pk>/", views.frameworks, name="framework"),
    path("t/<str:trust_code>/leadership/self-assessments/new/", views.assessment_new, name="assessment_new"),
    path("t/<str:trust_code>/leadership/self-assessments/<int:pk>/", views.assessment, name="assessment"),
    path(
        "t/<str:trust_code>/leadership/self-assessments/<int:pk>/files/<int:rating_pk>/",
        views.evidence_file,
        name="evidence_file",
    ),
    path("t/<str:trust_code>/leadership/360/new/", views.cycle_new, name="cycle_new"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/", views.cycle, name="cycle"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/report/", views.cycle_report, name="report"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/approve/", views.approve_raters, name="approve"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/<str:action>/", views.cycle_action, name="cycle_action"),
    path("t/<str:trust_code>/leadership/trust/", views.trust_view, name="trust"),
    path("feedback/<str:token>/", views.rate, name="rate"),
]

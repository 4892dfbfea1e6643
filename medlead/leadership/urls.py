from django.urls import path

from medlead.leadership.views import assessments, closing, cycles, home, rate, tasks

app_name = "leadership"
urlpatterns = [
    path("t/<str:trust_code>/leadership/", home.home, name="home"),
    path("t/<str:trust_code>/leadership/frameworks/<int:pk>/", home.frameworks, name="framework"),
    path("t/<str:trust_code>/leadership/self-assessments/new/", assessments.assessment_new, name="assessment_new"),
    path("t/<str:trust_code>/leadership/self-assessments/<int:pk>/", assessments.assessment, name="assessment"),
    path(
        "t/<str:trust_code>/leadership/self-assessments/<int:pk>/files/<int:rating_pk>/",
        assessments.evidence_file,
        name="evidence_file",
    ),
    path("t/<str:trust_code>/leadership/360/waiting/", tasks.waiting, name="waiting"),
    path("t/<str:trust_code>/leadership/360/new/", cycles.cycle_new, name="cycle_new"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/", cycles.cycle, name="cycle"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/report/", cycles.cycle_report, name="report"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/report/pdf/", cycles.cycle_report_pdf, name="report_pdf"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/approve/", cycles.approve_raters, name="approve"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/remind/", cycles.cycle_remind, name="cycle_remind"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/close/check/", closing.close_check, name="close_check"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/close/", closing.cycle_close, name="cycle_close"),
    path("t/<str:trust_code>/leadership/360/<int:pk>/closed/", closing.cycle_closed, name="cycle_closed"),
    path("t/<str:trust_code>/leadership/trust/", home.trust_view, name="trust"),
    path("feedback/<str:token>/", rate.rate, name="rate"),
]

from django.urls import path

from medlead.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("metrics/new/", views.metric_new, name="metric_new"),
    path("metrics/<slug:code>/", views.metric, name="metric"),
    path("metrics/<slug:code>/value/", views.value_add, name="value_add"),
    path("metrics/<slug:code>/rebase/", views.rebase_add, name="rebase_add"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/paper/", views.paper_add, name="paper_add"),
    path("meetings/<int:pk>/decision/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/action/", views.action_add, name="action_add"),
    path("meetings/<int:pk>/report/", views.report_start, name="report_start"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/sections/<slug:code>/", views.narrative_edit, name="narrative"),
    path("external/", views.external, name="external"),
    path("external/new/", views.body_new, name="body_new"),
    path("external/<int:pk>/", views.body, name="body"),
    path("external/<int:pk>/contact/", views.contact_add, name="contact_add"),
    path("external/<int:pk>/engagement/", views.engagement_add, name="engagement_add"),
]

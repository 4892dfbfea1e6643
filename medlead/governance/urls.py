from django.urls import path

from medlead.governance.views import external, meetings, metrics, reports, tasks

app_name = "governance"
urlpatterns = [
    path("", metrics.home, name="home"),
    path("compare/", metrics.compare, name="compare"),
    path("metrics/new/", metrics.metric_new, name="metric_new"),
    path("metrics/<slug:code>/", metrics.metric, name="metric"),
    path("metrics/<slug:code>/value/", metrics.value_add, name="value_add"),
    path("metrics/<slug:code>/rebase/", metrics.rebase_add, name="rebase_add"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/paper/", meetings.paper_add, name="paper_add"),
    path("meetings/<int:pk>/decision/", meetings.decision_add, name="decision_add"),
    path("meetings/<int:pk>/action/", meetings.action_add, name="action_add"),
    path("meetings/<int:pk>/report/", reports.report_start, name="report_start"),
    path("actions/", meetings.actions, name="actions"),
    path("actions/waiting/", tasks.waiting, name="actions_waiting"),
    path("actions/<int:pk>/", meetings.action, name="action"),
    path("reports/<int:pk>/", reports.report, name="report"),
    path("reports/<int:pk>/pdf/", reports.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/issue/", reports.report_issue, name="report_issue"),
    path("reports/<int:pk>/issue/confirm/", reports.report_issue_confirm, name="report_issue_confirm"),
    path("reports/<int:pk>/issued/", reports.report_issued, name="report_issued"),
    path("reports/<int:pk>/sections/<slug:code>/", reports.narrative_edit, name="narrative"),
    path("external/", external.external, name="external"),
    path("external/new/", external.body_new, name="body_new"),
    path("external/<int:pk>/", external.body, name="body"),
    path("external/<int:pk>/contact/", external.contact_add, name="contact_add"),
    path("external/<int:pk>/engagement/", external.engagement_add, name="engagement_add"),
]

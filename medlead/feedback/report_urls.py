"""The report's side of a feedback exercise (issue 33): the facilitator's pages, the report and the
reflection, the responsible officer's view and the feedback administrators. Added to the app's ``urls.py``."""

from __future__ import annotations

from django.urls import path

from medlead.feedback.views import administrators, release, report, status

T = "t/<str:trust_code>/revalidation-feedback/"
urlpatterns = [
    path(T + "doctors/", status.status, name="status"),
    path(T + "administrators/", administrators.administrators, name="administrators"),
    path(T + "administrators/add/", administrators.administrator_add, name="administrator_add"),
    path(T + "administrators/remove/", administrators.administrator_remove, name="administrator_remove"),
    path(T + "<int:pk>/facilitate/", release.run, name="run"),
    path(T + "<int:pk>/close/check/", release.close_check, name="close_check"),
    path(T + "<int:pk>/close/", release.close, name="close"),
    path(T + "<int:pk>/comments/<int:response_pk>/", release.comment, name="comment"),
    path(T + "<int:pk>/release/check/", release.release_check, name="release_check"),
    path(T + "<int:pk>/release/", release.release_confirm, name="release"),
    path(T + "<int:pk>/released/", release.released, name="released"),
    path(T + "<int:pk>/report/", report.report, name="report"),
    path(T + "<int:pk>/report/pdf/", report.report_pdf, name="report_pdf"),
    path(T + "<int:pk>/report/reflect/", report.reflect, name="reflect"),
]

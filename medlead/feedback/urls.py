"""The feedback app's addresses (namespace ``feedback``). On this branch (Task A2) only the report's side, from
``report_urls``; the integrator adds ``report_urls.urlpatterns`` to Task A1's list."""

from __future__ import annotations

from medlead.feedback import report_urls

app_name = "feedback"
urlpatterns = [*report_urls.urlpatterns]

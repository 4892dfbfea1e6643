"""What an error page or an error report may show.

Django's ``SafeExceptionReporterFilter`` hides the variables marked with ``sensitive_variables`` and the POST values
marked with ``sensitive_post_parameters`` only when DEBUG is off, so a development server's technical 500 page shows
them. medlead hides them always: a developer's error page is still seen on a screen, copied into tickets and sent
around, and a token or a secret in it is as good as leaked. Settings whose names say secret, key, token, password
and the like are hidden by Django's filter in every case."""

from __future__ import annotations

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


class AlwaysSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        return True

"""Run a management command as a user does: its exit status, what it printed and what it wrote to stderr."""

from __future__ import annotations

import io
import sys

from django.core.management import call_command


def run_command(name: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old, sys.stderr = sys.stderr, err
    try:
        call_command(name, *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.stderr = old
    return code, out.getvalue(), err.getvalue()

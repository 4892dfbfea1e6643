"""The audit trail's model, defined in ``medlead.core.audit`` (core's mechanisms write it, and core imports no app)
with this app's label, so the table, its migrations, the admin and the browse pages stay here.

See docs/adr/0004-audit-trail.md.
"""

from __future__ import annotations

from medlead.core.audit import AuditAction, AuditEvent

__all__ = ["AuditAction", "AuditEvent"]

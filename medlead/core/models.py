"""Core's own tables: the heartbeats of long work (``core.heartbeat``). The audit trail's model lives in
``core.audit`` under the ``audit`` app label."""

from medlead.core.heartbeat import Heartbeat

__all__ = ["Heartbeat"]

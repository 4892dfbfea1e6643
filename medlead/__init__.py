"""medlead: medical leadership and management for NHS trusts."""

from medlead.config.celery import app as celery_app

__all__ = ["celery_app"]

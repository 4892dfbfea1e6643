"""Accounts, roles and person links are not in the Django admin (issue 29): they are changed on medlead's own
access pages (``/t/<trust>/access/``), under the policy, with a reason and, for a sensitive grant, a second
approver. Django's groups (medlead gives no permission through them) and django-axes' sign-in records (usernames
and addresses; a locked account is unlocked with ``manage.py axes_reset_username``) leave the admin with them."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group

for _model in (Group, AccessAttempt, AccessFailureLog, AccessLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

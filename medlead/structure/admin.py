from django.contrib import admin

from medlead.core.admin import AuditedAdmin
from medlead.structure import models


@admin.register(models.PostType)
class PostTypeAdmin(AuditedAdmin):
    list_display = ("name", "code", "level", "data_version")


@admin.register(models.PortfolioFunction)
class PortfolioFunctionAdmin(AuditedAdmin):
    list_display = ("name", "area", "kind")


# Posts and their holders are not in the Django admin (issue 29): holding a post decides where a clinical or
# associate medical director acts, so they change only on the structure pages under the policy
# (``Perm.MANAGE_STRUCTURE``).

# The audit trail is not in the Django admin (issue 29): it named who was under MHPS investigation. It is read on
# medlead's own pages, under the policy (``Perm.VIEW_AUDIT``, a case's own trail ``Perm.VIEW_CASE_AUDIT``).

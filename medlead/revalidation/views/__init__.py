"""Revalidation's pages and actions, one module a topic: the responsible officer's queue and a doctor's record
(``queue``), appraisals (``appraisals``), allocating appraisers (``appraisers``) and the annual report (``report``);
the connection list is imported through the ``imports`` app."""

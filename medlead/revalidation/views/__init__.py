"""Revalidation's pages and actions, one module a topic: the responsible officer's queue and a doctor's record
(``queue``), appraisals (``appraisals``), allocating appraisers (``appraisers``), the annual report (``report``)
and the connections import (``imports``)."""

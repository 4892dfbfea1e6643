"""Pages for MHPS cases: the list, a new case and the case page (``cases``), and each action on a case, one view
and one form each (``actions``)."""

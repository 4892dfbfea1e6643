"""Pages for information transfers between responsible officers: the lists and task lists (``lists``), asking for
one and withdrawing the request (``asking``), completing it, sending it or declining it (``answering``), and the
record with its PDF (``record``)."""

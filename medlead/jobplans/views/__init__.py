"""Job-plan pages: the dashboard, a plan and its actions (``plans``), and the signatures, each checked and confirmed
(``signing``)."""

"""Pages for rotas: the rotas and their grid (``rotas``), exception reports (``reports``), the guardian's quarterly
report (``guardian``) and rota generation (``generation``). Rotas are imported through the ``imports`` app."""

"""Pages for rotas: the rotas and their grid (``rotas``), exception reports (``reports``), the guardian's quarterly
report (``guardian``), rota generation (``generation``) and the rota import (``imports``)."""

"""The leave pages: the doctor's own (``doctor``) and the rota coordinator's (``coordinator``)."""

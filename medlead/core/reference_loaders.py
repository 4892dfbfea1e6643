"""The loaders of reference data (post types, the portfolio, national frameworks, the opportunity catalogue), each
registered by the app that owns the data in its ``reference_data`` module and run in the order the apps are
installed by ``manage.py load_reference_data`` (so frameworks load before the catalogue that points at them)."""

from __future__ import annotations

from collections.abc import Callable

from medlead.core.hooks import Registry

# Each loader creates or updates its app's rows from data/ and says how many of each kind it loaded.
Loader = Callable[[], dict[str, int]]
LOADERS: Registry[Loader] = Registry("reference data loaders")

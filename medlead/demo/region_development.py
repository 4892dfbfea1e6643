"""The region's demo (issue 34): development."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medlead.demo.region import RegionDemo


def build(ctx: RegionDemo) -> None:
    """Nothing yet."""

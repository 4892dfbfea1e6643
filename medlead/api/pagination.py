"""API pages: at most 500 records a page, and offsets the database can take."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination

from medlead.core.params import MAX_ID, int_param


class BoundedLimitOffset(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500

    def get_offset(self, request: Any) -> int:
        return int_param(request.query_params.get(self.offset_query_param), hi=MAX_ID) or 0

    def get_limit(self, request: Any) -> int:
        limit = int_param(request.query_params.get(self.limit_query_param), lo=1, hi=MAX_ID)
        return min(limit, self.max_limit) if limit else self.default_limit

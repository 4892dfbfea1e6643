"""API pages: at most 500 records a page, and offsets the database can take."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination

from medlead.core.params import MAX_ID


class PageQuery(serializers.Serializer):
    """``limit`` and ``offset`` as the query string gives them; one that is not a whole number in range is taken as
    absent (the first page, of the default size), as the paginator always did."""

    limit = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_ID, required=False)


def _query(request: Any, name: str) -> int | None:
    if name not in request.query_params:
        return None
    query = PageQuery(data={name: request.query_params[name]})
    return query.validated_data.get(name) if query.is_valid() else None


class BoundedLimitOffset(LimitOffsetPagination):
    default_limit = 100
    max_limit = 500

    def get_offset(self, request: Any) -> int:
        return _query(request, self.offset_query_param) or 0

    def get_limit(self, request: Any) -> int:
        limit = _query(request, self.limit_query_param)
        return min(limit, self.max_limit) if limit else self.default_limit

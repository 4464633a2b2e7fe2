"""Page-number pagination that never counts the table.

A COUNT(*) over a city's million dossiers costs more than the page itself; fetching one row past
the page tells whether a next page exists.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param


class PageNumberPagination(BasePagination):
    page_size = 50
    max_page_size = 200
    # Beyond this an offset only costs the database a long scan (and overflows its integers).
    max_page = 100_000
    page_query_param = "page"
    page_size_query_param = "page_size"

    def _positive_int(self, request, name: str, default: int, maximum: int | None = None) -> int:
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ValidationError({name: [_("Phải là số nguyên dương.")]})
        return min(value, maximum) if maximum else value

    def _page_number(self, request) -> int:
        page = self._positive_int(request, self.page_query_param, 1)
        if page > self.max_page:
            raise ValidationError(
                {self.page_query_param: [_("Số trang tối đa là %(max)d.") % {"max": self.max_page}]}
            )
        return page

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_value = self._positive_int(
            request, self.page_size_query_param, self.page_size, self.max_page_size
        )
        self.page = self._page_number(request)
        offset = (self.page - 1) * self.page_size_value
        rows = list(queryset[offset : offset + self.page_size_value + 1])
        self.has_next = len(rows) > self.page_size_value
        return rows[: self.page_size_value]

    def _link(self, page: int | None) -> str | None:
        if page is None:
            return None
        url = self.request.build_absolute_uri()
        if page == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page + 1 if self.has_next else None),
                "previous": self._link(self.page - 1 if self.page > 1 else None),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

"""Cursor pagination: a page costs the same at the 2,000th page as at the first.

Ordered by id, unique and indexed, so a row never moves between pages while others are added.
"""

from django.conf import settings
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_PAGE_SIZE_MAX
        return super().get_page_size(request)


class NewestFirstCursorPagination(IdCursorPagination):
    """Reports: newest first, by id (ids grow with time; the primary key serves the order)."""

    ordering = "-id"

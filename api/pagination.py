"""Cursor pagination that never counts and never turns a forged cursor into a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    """`?cursor=` from `next`/`previous`; `?page_size=` up to 100. Orderings are on non-null columns only
    (the cursor stores the first ordering column's value)."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"
    invalid_cursor_message = _("Invalid cursor.")
    invalid_page_size_message = _("Give a whole number from 1 (at most 100 are returned).")

    def get_page_size(self, request):
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        value = raw[0] if len(raw) == 1 else ""
        if not (value.isascii() and value.isdigit()) or len(value) > 6 or int(value) < 1:
            raise exceptions.ValidationError({self.page_size_query_param: [str(self.invalid_page_size_message)]})
        return min(int(value), self.max_page_size)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError({self.cursor_query_param: [str(self.invalid_cursor_message)]}) from None

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            # A hand-made cursor whose position is not a value of the ordering column.
            raise exceptions.ValidationError({self.cursor_query_param: [str(self.invalid_cursor_message)]}) from None

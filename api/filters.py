"""Filter fields that turn any out-of-range query parameter into a 400, never a database error."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from api.base import MAX_PK

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


class StrictFilterSet(django_filters.FilterSet):
    """A filter given with no value is an error, not a silent "no filter" (clients learn of typos)."""

    def is_valid(self):
        valid = super().is_valid()
        blank = [name for name in self.filters if name in self.data and not any(self.data.getlist(name))]
        for name in blank:
            self.form.add_error(name, forms.ValidationError(_("Give a value or leave the parameter out.")))
        return valid and not blank


class BoundedIsoDateTimeField(IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(_("Give a date between 2000 and 9000."), code="out_of_range")
        return value


@extend_schema_field(OpenApiTypes.DATETIME)
class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_PK)
        super().__init__(*args, **kwargs)

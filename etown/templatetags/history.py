"""The history page's columns: each field's label, and its values as a person reads them."""

from django import template
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext

from etown.history_admin import readable

register = template.Library()


@register.filter
def history_label(opts, column: str) -> str:
    """Return the label of the model's field `column` (or the column's name, readable)."""
    try:
        return capfirst(opts.get_field(column).verbose_name)
    except FieldDoesNotExist:
        return capfirst(column.replace("_", " "))


@register.filter
def history_value(record, column: str):
    """Return the value of `column` in a past version of an object, as a person reads it."""
    try:
        value = getattr(record, column)
    except ObjectDoesNotExist:
        value = None
    try:
        field = record._meta.get_field(column)
    except FieldDoesNotExist:
        return value
    return readable(field, value)


@register.filter
def history_reason(reason: str | None) -> str:
    """Return a change's reason in the reader's language, when it is one the portal words."""
    # The services keep their fixed reasons ("Marked done") in English, their msgid.
    return gettext(reason) if reason else "—"

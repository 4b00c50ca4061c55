"""What every import and export of the portal shares (django-import-export): spreadsheet formats
that neutralise formulas, a lookup by natural key that names what it cannot find, and a resource
that writes every row or none.

Shared plumbing: the apps' resources build on it (`accounts.resources`, `workplan.resources`),
so it imports no app.
"""

from __future__ import annotations

import tablib
from diff_match_patch import diff_match_patch
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.encoding import force_str
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from import_export.resources import Diff

# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +cmd|...):
# exported, it gets a leading apostrophe and reads as the text it is (OWASP "CSV injection").
# django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_neutralise(value):
    """Return `value`, as text that no spreadsheet evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin:
    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            safe.append([formula_neutralise(value) for value in row])
        return super().export_data(safe, **kwargs)


class SafeCSV(FormulaSafeExportMixin, CSV):
    pass


class SafeXLSX(FormulaSafeExportMixin, XLSX):
    pass


EXPORT_FORMATS = [SafeCSV, SafeXLSX]


class LookupWidget(widgets.ForeignKeyWidget):
    """Find a related row by a natural key; an unknown key is an error that names it."""

    def __init__(self, model, field, label, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        value = "" if value is None else str(value).strip()
        if not value:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: value})
        except self.model.DoesNotExist:
            raise ValueError(
                _("Unknown %(label)s “%(value)s”.") % {"label": self.label, "value": value}
            ) from None


class StyleFreeDiff(Diff):
    """The import preview's changes marked by class, not by the inline style of diff-match-patch
    (the Content-Security-Policy refuses inline styles; static/css/admin.css colours them)."""

    TAGS = {
        diff_match_patch.DIFF_INSERT: ("ins", "diff-insert"),
        diff_match_patch.DIFF_DELETE: ("del", "diff-delete"),
        diff_match_patch.DIFF_EQUAL: ("span", "diff-equal"),
    }

    def as_html(self):
        dmp = diff_match_patch()
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            if old != new and self.new:
                old = ""
            diffs = dmp.diff_main(force_str(old), force_str(new))
            dmp.diff_cleanupSemantic(diffs)
            cells.append(
                format_html_join(
                    "",
                    '<{} class="{}">{}</{}>',
                    (
                        (self.TAGS[op][0], self.TAGS[op][1], text, self.TAGS[op][0])
                        for op, text in diffs
                        if text
                    ),
                )
            )
        return cells


class AllOrNothingResource(resources.ModelResource):
    """Write every row or none: one bad row rolls the whole file back."""

    @classmethod
    def get_diff_class(cls):
        return StyleFreeDiff

    def before_import_row(self, row, **kwargs):
        # PostgreSQL refuses NUL in text and in query parameters: an exception, not a bad row,
        # unless caught here (found by fuzzing the import on PostgreSQL).
        bad = [str(column) for column, value in row.items() if "\x00" in str(value or "")]
        if bad:
            raise ValidationError(
                {column: _("This cell holds a NUL character (0x00); remove it.") for column in bad}
            )
        super().before_import_row(row, **kwargs)

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)


def column_label(resource, name: str) -> str:
    """Return a column's name for a person: its label in their language, its code beside.

    The code is what the file's header says, and what an import expects. A resource names
    columns that are no model field in its `column_labels`.
    """
    labels = getattr(resource, "column_labels", {})
    if name in labels:
        label = labels[name]
    else:
        try:
            label = resource._meta.model._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
    return f"{capfirst(label)} ({name})"


class LabelledExportForm(SelectableFieldsExportForm):
    """The export form, each column named by its label (django-import-export says "Title Zh")."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        for resource in resources:
            for name in resource().get_export_order():
                field = self.fields.get(self.create_boolean_field_name(resource, name))
                if field is not None:
                    field.label = column_label(resource, name)

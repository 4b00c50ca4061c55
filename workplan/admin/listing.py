"""Changelist rows built as strings: Django's per-row machinery costs more than the data it shows.

Django's `items_for_result` works each cell out afresh on every row: it looks the column up
(raising FieldDoesNotExist for each display method), builds a choices dict, formats each date,
reverses the change URL and re-parses the preserved filters to link the row. `fast_results`
decides once per page what each column is and where a row links to, then only reads each row's
values: the same markup (tests/workplan/test_admin_rows.py compares it with Django's) in a third
of the time. Admins using it set `change_list_template = FAST_CHANGE_LIST`.
"""

from __future__ import annotations

import datetime
import functools
import html

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

FAST_CHANGE_LIST = "admin/workplan/fast_change_list.html"
CHECKBOX_HTML = '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">'
# A primary key no row has: the change URL is reversed once with it, then filled in per row.
PK_SLOT = "__pk__"


class RowCheckboxMixin:
    """The action checkbox of each row, formatted directly.

    Django renders a CheckboxInput widget through the template engine for every row: about 8 ms
    of a 50-row task list. The markup is the same (tests/workplan/test_admin.py compares them).
    """

    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(CHECKBOX_HTML, helpers.ACTION_CHECKBOX_NAME, obj.pk, label)


@functools.lru_cache(maxsize=64)
def _url_around_pk(viewname, urlconf, script_prefix) -> tuple[str, str]:
    return tuple(reverse(viewname, urlconf=urlconf, args=(PK_SLOT,)).split(PK_SLOT))


def change_url(opts, pk: int) -> str:
    """`reverse("admin:<app>_<model>_change", args=[pk])` from one reverse() per URL setup."""
    viewname = f"admin:{opts.app_label}_{opts.model_name}_change"
    before, after = _url_around_pk(viewname, get_urlconf(), get_script_prefix())
    return f"{before}{int(pk)}{after}"


def escape(value) -> str:
    """`conditional_escape` without its lazy-string wrappers, which cost more than escaping."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class Column:
    """What one list_display column is, worked out once per page."""

    def __init__(self, cl, index, name, *, is_link, is_first_link):
        model_admin = cl.model_admin
        self.name = name
        self.empty = self.default_empty = model_admin.get_empty_value_display()
        self.classes = [f"field-{_coerce_field_name(name, index)}"]
        self.tag = "th" if is_first_link else "td"
        self.is_link = is_link
        self.field = None
        self.getter = None
        self.boolean = False
        self.memo = {}
        try:
            if callable(name):
                raise FieldDoesNotExist
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            if callable(name):
                attr = name
                self.getter = name
            elif hasattr(model_admin, name) and name != "__str__":
                attr = getattr(model_admin, name)
                self.getter = attr
            elif name == "__str__":
                attr = getattr(cl.model, name)
                self.getter = str
            else:
                # Properties, related lookups: Django's own lookup, row by row.
                attr = None
            if attr is not None:
                self.empty = getattr(attr, "empty_value_display", self.empty)
                self.boolean = getattr(attr, "boolean", False)
                if name == "action_checkbox":
                    self.classes = ["action-checkbox"]
        else:
            field = self.field
            self.is_relation = isinstance(field.remote_field, models.ManyToOneRel)
            if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
                self.classes.append("nowrap")
            if getattr(field, "flatchoices", None):
                try:
                    self.choices = dict(field.flatchoices)
                except TypeError:
                    self.choices = None
            else:
                self.choices = None
        self.row_class = format_html(' class="{}"', " ".join(self.classes))
        self.nowrap_class = format_html(' class="{}"', " ".join([*self.classes, "nowrap"]))

    def html(self, cl, obj, link):
        try:
            result_repr, nowrap = self.repr(cl, obj)
        except ObjectDoesNotExist:
            result_repr, nowrap = self.default_empty, False
        row_class = self.nowrap_class if nowrap else self.row_class
        shown = escape(result_repr)
        if link is not None:
            shown = f'<a href="{escape(link)}">{shown}</a>'
        return SafeString(f"<{self.tag}{row_class}>{shown}</{self.tag}>")

    def repr(self, cl, obj):
        """Return (what the cell shows, whether it gains the nowrap class), as Django does."""
        field = self.field
        if field is None:
            if self.getter is not None:
                attr_empty, boolean, value = self.empty, self.boolean, self.getter(obj)
            else:
                f, attr, value = lookup_field(self.name, obj, cl.model_admin)
                attr_empty = getattr(attr, "empty_value_display", self.empty)
                boolean = getattr(attr, "boolean", False)
                if isinstance(attr, property) and hasattr(attr, "fget"):
                    boolean = getattr(attr.fget, "boolean", False)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if not isinstance(value, (datetime.date, datetime.time)):
                return display_for_value(value, attr_empty, boolean), False
            # Dates repeat down a list sorted by them: each is formatted once.
            key = (value, attr_empty, boolean)
            if key not in self.memo:
                self.memo[key] = display_for_value(value, attr_empty, boolean)
            return self.memo[key], True
        if self.is_relation:
            related = getattr(obj, field.name)
            return (self.empty if related is None else related), False
        value = getattr(obj, self.name)
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if self.choices is not None:
            return self.choices.get(value, self.empty), False
        try:
            return self.memo[value], False
        except KeyError:
            shown = self.memo[value] = display_for_field(
                value, field, self.empty, avoid_link=self.is_link
            )
        except TypeError:
            # An unhashable value (a JSON list): formatted each time.
            shown = display_for_field(value, field, self.empty, avoid_link=self.is_link)
        return shown, False


class RowLinks:
    """The change URL of each row, with the list's filters kept, from one reverse()."""

    def __init__(self, cl):
        self.cl = cl
        self.prefix = self.suffix = None
        try:
            url = reverse(
                f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                args=(PK_SLOT,),
                current_app=cl.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            self.reversible = False
            return
        self.reversible = True
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
        )
        if url.count(PK_SLOT) == 1:
            self.prefix, self.suffix = url.split(PK_SLOT)

    def url(self, obj):
        pk = getattr(obj, self.cl.pk_attname)
        if self.prefix is not None and isinstance(pk, int):
            return f"{self.prefix}{pk}{self.suffix}"
        # Django's way, for keys that quoting could change.
        return add_preserved_filters(
            {"preserved_filters": self.cl.preserved_filters, "opts": self.cl.opts},
            self.cl.url_for_result(obj),
        )


def load_related(rows, *names) -> None:
    """Give `rows` their foreign keys `names` with one `in_bulk()` each, as prefetching does.

    `prefetch_related` goes through its generic machinery for each lookup: for 50 rows, about
    1 ms per foreign key more than the query it sends (tests/workplan/test_admin_rows.py).
    """
    if not rows:
        return
    opts = rows[0]._meta
    for name in names:
        field = opts.get_field(name)
        keys = {getattr(row, field.attname) for row in rows}
        keys.discard(None)
        found = field.related_model._base_manager.in_bulk(keys) if keys else {}
        for row in rows:
            field.set_cached_value(row, found.get(getattr(row, field.attname)))


def fast_results(cl):
    """Yield each row's cells as Django's `results(cl)` does, for a list without a formset."""
    if cl.formset or cl.is_popup or cl.to_field or cl.list_display_links is None:
        yield from results(cl)
        return
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        is_link = (first and not cl.list_display_links) or name in cl.list_display_links
        columns.append(Column(cl, index, name, is_link=is_link, is_first_link=is_link and first))
        if is_link:
            first = False
    links = RowLinks(cl)
    for obj in cl.result_list:
        cells = []
        for column in columns:
            link = None
            if column.is_link and links.reversible:
                link = links.url(obj)
            cells.append(column.html(cl, obj, link))
        yield ResultList(None, cells)


def fast_result_list(cl):
    """Django's `result_list` context, with the rows from `fast_results`."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(fast_results(cl)),
    }

"""Post an admin change form as a browser would: the values it was rendered with."""

import datetime


def change_form_data(response) -> dict:
    """Return the POST data of the change form (and its inlines) in an admin change page."""
    data = {}

    def add_form(form):
        for name in form.fields:
            bound_field = form[name]
            if bound_field.field.disabled:
                continue
            value = bound_field.value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, datetime.datetime):
                data[f"{key}_0"] = value.date().isoformat()
                data[f"{key}_1"] = value.time().strftime("%H:%M:%S")
            elif isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)

    if response.context is None or "adminform" not in response.context:
        return data
    add_form(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in inline.formset.forms:
            add_form(form)
    return data

"""Submit a form as a browser would: the fields and values of the page it was rendered in."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, selector: dict):
        super().__init__()
        self.selector = selector
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def _matches(self, attrs: dict) -> bool:
        return all(attrs.get(name) == value for name, value in self.selector.items())

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"action": attrs.get("action"), "fields": [], "buttons": []}
            if self._matches(attrs):
                self.forms.append(self.current)
            return
        if self.current is None:
            return
        name = attrs.get("name")
        if tag in ("input", "button") and name:
            kind = attrs.get("type", "text" if tag == "input" else "submit")
            if kind == "submit":
                self.current["buttons"].append((name, attrs.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.current["fields"].append((name, attrs.get("value", "on")))
            elif kind != "file":
                self.current["fields"].append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.current["fields"].append((self.select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = name
            self.current["fields"].append((name, ""))

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            name, value = self.current["fields"][-1]
            self.current["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def rendered_form(html: str, **selector) -> dict:
    """Return the only form in `html` whose attributes match `selector` (e.g. method="post").

    The result has the form's `action`, its `fields` as a dict of lists (what a browser sends,
    submit buttons aside) and its submit `buttons` as (name, value) pairs.
    """
    parser = _FormParser(selector)
    parser.feed(html)
    if len(parser.forms) != 1:
        raise AssertionError(f"expected one form matching {selector}, found {len(parser.forms)}")
    form = parser.forms[0]
    fields: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        fields.setdefault(name, []).append(value)
    return {"action": form["action"], "fields": fields, "buttons": form["buttons"]}


def post_data(form: dict, button: str | None = None, **values) -> dict:
    """Return the POST data of `form` with `values` typed in and `button` pressed."""
    data = {name: list(items) for name, items in form["fields"].items()}
    for name, value in values.items():
        data[name] = value if isinstance(value, list) else [value]
    if button:
        data[button] = [dict(form["buttons"])[button]]
    return data

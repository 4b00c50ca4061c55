"""Every URL of the site, walked with malformed input by every role: nothing answers 5xx.

The walk enumerates the URL resolver itself (the portal, the admin of every registered model,
and whatever is added later: a new URL is walked the day it exists), fills each URL's
parameters with ids of real objects of the authorisation matrix's scene and with malformed ones
(letters, huge numbers, null bytes, very long strings), and for every persona (anonymous, an
official, a supervisor, a leader, an admin) sends GETs with malformed query strings and POSTs
with malformed form values. The parameter names come from the page itself, as the persona sees
it (its form fields, the query keys of its links) and from a list of names the portal and the
admin read; the values are drawn by Hypothesis: wrong types, huge numbers, out-of-range dates,
unknown choices, very long strings, any Unicode, null bytes, broken percent-escapes, files.

Hypothesis is derandomised (the same examples on every run) and runs a fixed number of
examples per URL, so the walk takes the same bounded time everywhere. Every request runs in a
savepoint rolled back afterwards, with the persona's own session, so one request cannot change
what the next one sees. A 5xx, or an exception the view lets escape, is a failure, reported
with the request that caused it; the walk goes on and lists every one.
"""

from __future__ import annotations

import itertools
import re
import urllib.parse
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.etown.test_authorization_matrix import PERSONAS, Scene
from tests.etown.test_authorization_matrix import scene as matrix_scene  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk_scene(request) -> Scene:
    """The authorisation matrix's scene: an object of every model the admin shows."""
    return request.getfixturevalue("matrix_scene")


# Examples per URL, persona and method: where the persona reaches the view, and where the
# request is turned away before it (sign-in, the admin's door), where less can go wrong.
EXAMPLES, EXAMPLES_TURNED_AWAY = 2, 1
WALK = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)

# --- The URLs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern of the resolver, with the names of the parameters it takes."""

    name: str | None
    route: str
    params: tuple[str, ...]
    positional: bool

    @property
    def label(self) -> str:
        return self.name or self.route


def _pattern_params(pattern) -> tuple[tuple[str, ...], bool]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters), False
    if isinstance(pattern, RegexPattern):
        named = tuple(pattern.regex.groupindex)
        if named:
            return named, False
        return tuple(f"arg{i}" for i in range(pattern.regex.groups)), pattern.regex.groups > 0
    raise AssertionError(f"a URL pattern of an unknown kind: {pattern!r}")


def site_routes() -> list[Route]:
    """Every URL pattern the resolver holds, included ones too."""
    routes = []

    def walk(patterns, prefix, namespace, params, positional):
        for pattern in patterns:
            own, own_positional = _pattern_params(pattern.pattern)
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(
                    pattern.url_patterns,
                    route,
                    inner,
                    params + own,
                    positional or own_positional,
                )
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                routes.append(Route(name, route, params + own, positional or own_positional))

    walk(get_resolver().url_patterns, "", "", (), False)
    return routes


def _admin_model(route: Route):
    """The model an admin URL is about, if it is one."""
    if not route.name or not route.name.startswith("admin:"):
        return None
    name = route.name.removeprefix("admin:")
    if name.startswith("auth_user_"):  # UserAdmin names its password page after auth.User
        return apps.get_model("accounts", "user")
    for model in apps.get_models():
        opts = model._meta
        if admin.site.is_registered(model) and name.startswith(
            f"{opts.app_label}_{opts.model_name}_"
        ):
            return model
    return None


MALFORMED_IDS = [
    "0",
    "-1",
    "abc",
    "1.5",
    "99999999999999999999999999",
    "9223372036854775808",
    "\x00",
    "1\x00",
    "x" * 300,
    "日本語",
    "%",
    "..",
    "1 OR 1=1",
]


@dataclass
class Pools:
    """Values that fill URL parameters: real ids and strings, and malformed ones."""

    ids: list[str]
    strings: list[str]
    by_model: dict
    history_by_model: dict


def _pools(scene: Scene) -> Pools:
    by_model, history_by_model = {}, {}
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        pks = [
            str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:2]
        ]
        by_model[model] = pks
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "order_by"):
            history_by_model[model] = [
                str(pk)
                for pk in history.order_by("history_id").values_list("history_id", flat=True)[:2]
            ]
    ids = sorted({pk for pks in by_model.values() for pk in pks}, key=int)[:12]
    user = scene.users["official"]
    strings = [
        user.calendar_token,
        "MQ",
        "set-password",
        *sorted({model._meta.app_label for model in by_model}),
        "workplan/task",
    ]
    return Pools(ids, strings, by_model, history_by_model)


def _values_for(route: Route, position: int, pools: Pools, *, real: bool) -> list[str]:
    model = _admin_model(route)
    if real:
        if model is not None and position == 0 and pools.by_model.get(model):
            return pools.by_model[model]
        if model is not None and position == 1 and pools.history_by_model.get(model):
            return pools.history_by_model[model]
        return pools.ids[:4] + pools.strings
    return MALFORMED_IDS


def _reverse(route: Route, values: tuple[str, ...]) -> str | None:
    if route.name is None:
        # No name to reverse (the admin's catch-all has none): put the values where the
        # route's converters or the regex's groups are.
        path = route.route
        for value in values:
            quoted = urllib.parse.quote(value, safe="")
            path = re.sub(
                r"<(?:\w+:)?\w+>|\((?:\?P<\w+>)?[^)]*\)",
                lambda _match, quoted=quoted: quoted,
                path,
                count=1,
            )
        return "/" + path.replace("^", "").replace("$", "")
    try:
        if route.positional:
            return reverse(route.name, args=values)
        return reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)))
    except NoReverseMatch:
        return None


def route_paths(route: Route, pools: Pools) -> tuple[list[str], list[str]]:
    """Return the route's paths with real values, and with malformed ones."""
    if not route.params:
        path = _reverse(route, ())
        return ([path] if path else []), []
    real_values = [
        _values_for(route, index, pools, real=True) for index in range(len(route.params))
    ]
    real = []
    for values in itertools.islice(itertools.product(*real_values), 400):
        path = _reverse(route, values)
        if path and path not in real:
            real.append(path)
        if len(real) >= 3:
            break
    malformed = []
    first_real = next(itertools.product(*real_values), ())
    for index in range(len(route.params)):
        # Two malformed values per parameter, a different pair from route to route.
        turn = sum(map(ord, route.route)) + index
        for bad in (MALFORMED_IDS[turn % len(MALFORMED_IDS)], MALFORMED_IDS[(turn + 5) % 13]):
            values = list(first_real) or [bad] * len(route.params)
            values[index] = bad
            path = _reverse(route, tuple(values))
            if path and path not in malformed and path not in real:
                malformed.append(path)
    return real, malformed[:3]


# --- The values ------------------------------------------------------------------------------

# Names the portal and the admin read from a query string or a form, besides those a page
# shows: filters, sorting, paging, the admin's popups and actions, the language switch.
KNOWN_NAMES = [
    "q", "o", "p", "e", "all", "page", "sort", "next", "format", "resource", "start", "end",
    "area", "status", "urgency", "department", "owner", "overdue", "due_after", "due_before",
    "review_state", "language", "_popup", "_to_field", "_changelist_filters", "_selected_action",
    "action", "index", "select_across", "term", "app_label", "model_name", "field_name",
    "due_date__year", "due_date__month", "due_date__day", "date__year", "id__exact",
    "progress", "note", "version", "comment", "reason", "new_due_date", "username", "password",
    "email", "old_password", "new_password1", "new_password2", "password1", "password2",
    "usable_password", "csrfmiddlewaretoken", "_save", "_continue", "_addanother", "post",
    "apply", "import_file", "evidence", "tasks", "message", "task",
]  # fmt: skip

HOSTILE_VALUES = [
    # wrong types
    "abc", "1.5", "1e5", "true", "[]", "{}", "null", "None", "-0", " ", "",
    # huge numbers
    "99999999999999999999999999", "9223372036854775808", "-9223372036854775809",
    "1e308", "1e999", "NaN", "inf", "0x10", "٣",
    # dates out of range, and not dates
    "9999-12-31", "0001-01-01", "10000-01-01", "0000-00-00", "2024-02-30", "2024-13-01",
    "-1-01-01", "9999", "0", "1", "12/31/9999", "2024-01-01T25:00", "2024-W60",
    # choices that do not exist
    "not_a_choice", "fr", "zh-hant", "DROP", "__all__", "pk", "-pk", "9.-1", "1.2.3.4.5",
    # long strings, Unicode, null bytes, markup
    "x" * 10_000, "词 " * 3_000, "a" * 201, "word " * 300, "\x00", "a\x00b", "\ud7ff\ufffd",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u202eevil", "<script>alert(1)</script>", "%00", "%", "../../etc/passwd",
    "https://evil.example/", "//evil.example", "javascript:alert(1)", "' OR '1'='1",
]  # fmt: skip

RAW_QUERIES = [
    "%",
    "%zz=%zz",
    "q=%ff%fe%00",
    "=&&==&",
    "a" * 20_000,
    "q=" + "%E4%B8%AD" * 2_000,
    "p=1&p=2&p=99999999999",
    "o=1.2.3.-4.999",
    "_changelist_filters=" + urllib.parse.quote("area=abc&due_date__year=9999"),
]

hostile_value = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@dataclass
class Page:
    """What a persona sees on a page: the names it may send, and values the page offers."""

    status: int
    names: list[str]
    offered: dict


NAME = re.compile(r'\bname="([^"]{1,80})"')
OPTION = re.compile(r'<option[^>]*\bvalue="([^"]{0,80})"')
LINK_QUERY = re.compile(r'href="[^"?]*\?([^"#]{1,400})"')


def _page(response) -> Page:
    text = ""
    if response.get("Content-Type", "").startswith("text/html"):
        text = response.content.decode(errors="replace")
    names = sorted(set(NAME.findall(text)))
    offered: dict[str, set] = {}
    for query in LINK_QUERY.findall(text):
        for key, value in urllib.parse.parse_qsl(query.replace("&amp;", "&")):
            offered.setdefault(key, set()).add(value)
    options = sorted(set(OPTION.findall(text)))[:30]
    for name in names:
        offered.setdefault(name, set()).update(options)
    return Page(
        response.status_code,
        names,
        {key: sorted(values)[:20] for key, values in offered.items()},
    )


def _value(page: Page, key: str):
    offered = page.offered.get(key)
    if offered:
        return st.one_of(st.sampled_from(offered), hostile_value)
    return hostile_value


def query_strategy(page: Page):
    names = sorted(set(page.names) | set(page.offered) | set(KNOWN_NAMES))
    pairs = st.sampled_from(names).flatmap(
        lambda key: st.lists(_value(page, key), min_size=1, max_size=2).map(lambda v: (key, v))
    )
    encoded = st.lists(pairs, max_size=5).map(lambda items: urllib.parse.urlencode(
        [(key, value) for key, values in items for value in values]
    ))  # fmt: skip
    return st.one_of(encoded, encoded, st.sampled_from(RAW_QUERIES))


def form_strategy(page: Page):
    names = sorted(set(page.names) | set(KNOWN_NAMES))
    upload = st.builds(
        SimpleUploadedFile,
        st.sampled_from(["scan.pdf", "a.exe", "x" * 300 + ".png", "\x00.pdf", "报告.docx", "-"]),
        st.binary(max_size=200),
    )

    def field(key):
        value = _value(page, key)
        return st.one_of(value, st.lists(value, min_size=1, max_size=2), upload)

    fields = st.lists(
        st.sampled_from(names).flatmap(lambda key: field(key).map(lambda v: (key, v))),
        max_size=6,
    ).map(dict)
    # The fields the page itself shows, with values from the page or hostile ones.
    page_fields = st.fixed_dictionaries(
        {}, optional={name: _value(page, name) for name in page.names[:25]}
    )
    return st.tuples(page_fields, fields).map(lambda both: {**both[0], **both[1]})


BODIES = [
    ("application/json", b'{"progress": 1e999, "status": [null]'),
    ("application/x-www-form-urlencoded", b"%zz=%ff&a=%00&" + b"b=" + b"x" * 5000),
    ("multipart/form-data; boundary=broken", b"--broken\r\nnonsense\r\n"),
    ("multipart/form-data", b"no boundary at all"),
    ("text/plain", "\x00 汉字".encode()),
]


# --- The walk --------------------------------------------------------------------------------


class Walker:
    """Send requests as one persona, each in a rolled-back savepoint, and note every 5xx."""

    def __init__(self, scene: Scene, persona: str):
        self.persona = persona
        self.cookies = None
        user = scene.users[persona]
        if user is not None:
            client = Client()
            client.force_login(user)
            self.cookies = client.cookies
        self.problems: list[str] = []
        self.requests = 0
        self.pages: dict[str, Page] = {}

    def client(self) -> Client:
        client = Client(raise_request_exception=True)
        if self.cookies is not None:
            client.cookies.load({key: morsel.value for key, morsel in self.cookies.items()})
        return client

    def send(self, method: str, path: str, *, query: str = "", form=None, body=None):
        self.requests += 1
        client = self.client()
        described = (
            f"{self.persona} {method} {path[:120]!r} query={query[:160]!r} form={form!r:.200}"
        )
        try:
            with transaction.atomic():
                if method == "GET":
                    response = client.get(path, QUERY_STRING=query)
                elif body is not None:
                    response = client.post(path, data=body[1], content_type=body[0])
                else:
                    response = client.post(path, form or {})
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 (every escape is a finding, listed below)
            self.problems.append(f"{described}: {type(error).__name__}: {error!s:.300}")
            return None
        if response.status_code >= 500:
            self.problems.append(f"{described}: HTTP {response.status_code}")
        return response

    def page(self, path: str) -> Page:
        if path not in self.pages:
            response = self.send("GET", path)
            self.pages[path] = _page(response) if response is not None else Page(500, [], {})
        return self.pages[path]

    def walk(self, route: Route, pools: Pools) -> None:
        real, malformed = route_paths(route, pools)
        for number, path in enumerate(malformed):
            if number % 2:
                self.send("POST", path, form={"q": "\x00", "_to_field": "x"})
            else:
                self.send("GET", path, query="q=%00&p=abc")
        if not real:
            return
        page = self.page(real[0])
        turned_away = page.status in (301, 302, 403, 405) and not page.names
        for method in ("GET", "POST"):
            self.classics(method, real[0], page, 1 if turned_away else len(CLASSICS))
            self.fuzz(method, real, page, EXAMPLES_TURNED_AWAY if turned_away else EXAMPLES)

    def classics(self, method: str, path: str, page: Page, count: int) -> None:
        """Every name the page shows, at once, set to each kind of bad value."""
        names = page.names or ["q"]
        for values in CLASSICS[:count]:
            data = {name: values[index % len(values)] for index, name in enumerate(names)}
            if method == "GET":
                self.send("GET", path, query=urllib.parse.urlencode(data))
            else:
                self.send("POST", path, form=data)

    def fuzz(self, method: str, paths: list[str], page: Page, examples: int) -> None:
        @settings(WALK, max_examples=examples)
        @given(data=st.data())
        def run(data):
            path = data.draw(st.sampled_from(paths), label="path")
            if method == "GET":
                self.send("GET", path, query=data.draw(query_strategy(page), label="query"))
            elif data.draw(st.integers(0, 5), label="body kind") == 0:
                self.send("POST", path, body=data.draw(st.sampled_from(BODIES), label="body"))
            else:
                self.send("POST", path, form=data.draw(form_strategy(page), label="form"))

        run()


CLASSICS = [
    ["\x00", "99999999999999999999999999", "9999-12-31", "x" * 10_000, "-1"],
    ["abc", "0001-01-01", "not_a_choice", "-9223372036854775809", "", "词 " * 100],
]


def test_the_walk_reaches_every_url_of_the_site(walk_scene):
    pools = _pools(walk_scene)
    routes = site_routes()
    unreachable = [route.label for route in routes if not any(route_paths(route, pools))]
    assert unreachable == [], "URLs the walk cannot build a path for (teach _reverse)"
    names = {route.name for route in routes}
    # The portal, the admin of the tasks and the language switch are all in the walk.
    assert {"workplan:task_detail", "admin:workplan_task_changelist", "set_language"} <= names
    admin_models = {_admin_model(route) for route in routes} - {None}
    assert admin_models == {m for m in apps.get_models() if admin.site.is_registered(m)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_url_answers_malformed_input_with_a_server_error(walk_scene, persona):
    pools = _pools(walk_scene)
    walker = Walker(walk_scene, persona)
    for route in site_routes():
        walker.walk(route, pools)
    assert walker.requests > 300
    assert walker.problems == [], (
        f"{len(walker.problems)} of {walker.requests} requests failed:\n"
        + "\n".join(walker.problems)
    )

"""Hypothesis throws odd input at the sign-in form and the plan-file parser: nothing may crash."""

import pytest
import yaml
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workplan.plan_file import DEFAULT_PLAN_PATH, PlanData, PlanFileError, parse_plan

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

PLAN_KEYS = [
    "plan", "areas", "indicators", "year", "title", "title_zh", "summary", "summary_zh",
    "source", "number", "tasks", "code", "description", "weight", "subtasks", "name",
    "name_zh", "unit", "target", "direction",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["at_least", "about", "at_most", "", " ", "2024", "1e999", "NaN"]),
    st.dates(),
)
keys = st.one_of(st.sampled_from(PLAN_KEYS), st.text(max_size=10), st.integers(), st.booleans())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6)
    ),
    max_leaves=30,
)


def _parses_or_explains(text):
    try:
        result = parse_plan(text)
    except PlanFileError as error:
        assert str(error)
    else:
        assert isinstance(result, PlanData)


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_either_parses_or_raises_a_plan_file_error(text):
    _parses_or_explains(text)


@FUZZ
@given(document=values)
def test_any_yaml_document_either_parses_or_raises_a_plan_file_error(document):
    _parses_or_explains(yaml.safe_dump(document, allow_unicode=True))


REAL_PLAN = yaml.safe_load(DEFAULT_PLAN_PATH.read_text(encoding="utf-8"))


def _replace_at(document, path, value):
    """Return a copy of `document` with the node reached by `path` (indexes) replaced."""
    if not path:
        return value
    if isinstance(document, dict) and document:
        key = list(document)[path[0] % len(document)]
        return {**document, key: _replace_at(document[key], path[1:], value)}
    if isinstance(document, list) and document:
        index = path[0] % len(document)
        return [
            _replace_at(item, path[1:], value) if i == index else item
            for i, item in enumerate(document)
        ]
    return value


@FUZZ
@given(path=st.lists(st.integers(min_value=0, max_value=50), max_size=6), value=values)
def test_the_real_plan_with_any_one_part_replaced_parses_or_raises_a_plan_file_error(path, value):
    _parses_or_explains(yaml.safe_dump(_replace_at(REAL_PLAN, path, value), allow_unicode=True))


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]",
        "plan: &p {year: 2024, title: x}\nareas: [{number: 1, title: a, tasks: &t [{code: '1',"
        " title: t, subtasks: *t}]}]",
        "!!python/object/apply:os.system ['true']",
        "{1: a, b: c}",
        "[" * 2000,
    ],
    ids=["self-reference", "recursive-subtasks", "python-tag", "mixed-keys", "deep-nesting"],
)
def test_hostile_yaml_raises_a_plan_file_error(text):
    with pytest.raises(PlanFileError):
        parse_plan(text)


def _refused_if_null(data: dict) -> tuple[int, ...]:
    """A null character anywhere in the form is refused with 400 (etown/bad_input.py)."""
    return (400,) if any("\x00" in key + value for key, value in data.items()) else ()


@FUZZ
@given(
    username=st.text(max_size=200),
    password=st.text(max_size=200),
    extra=st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=50), max_size=3),
)
@pytest.mark.django_db
def test_no_sign_in_input_gives_a_server_error(axes_enabled, official, username, password, extra):
    client = Client(raise_request_exception=True)
    data = {**extra, "username": username, "password": password}
    response = client.post("/accounts/login/", data)
    assert response.status_code in (200, 302, 429, *_refused_if_null(data))


@FUZZ
@given(password=st.text(max_size=100))
@pytest.mark.django_db
def test_no_password_for_a_real_user_gives_a_server_error(axes_enabled, official, password):
    client = Client(raise_request_exception=True)
    data = {"username": official.username, "password": password}
    response = client.post("/accounts/login/", data)
    assert response.status_code in (200, 302, 429, *_refused_if_null(data))

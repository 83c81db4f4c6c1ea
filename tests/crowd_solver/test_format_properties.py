"""Hypothesis against the parsers: whatever a file holds, it is either accepted or refused with a
FormatError whose JSON path leads to the bad value (never a crash), and the checker never takes a
corrupted result on trust."""

import copy
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zaireen.crowd.solver import (
    FormatError,
    check,
    instance_from_json,
    instance_to_json,
    result_from_json,
    result_to_json,
)
from zaireen.crowd.solver.model import Assignment, BoundCertificate, Result

from .helpers import document
from .strategies import instances

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TOKEN = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')

# Values a broken or hostile file may hold anywhere.
ANY_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 300)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["kadhimiya", "karbala-husayn", "g1", "zaireen-slots/1"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)


def tokens(path: str) -> list:
    """`$.groups[0]["a-b"]` → ["groups", 0, "a-b"]; fails the test on a malformed path."""
    assert path.startswith("$"), path
    out, rest = [], path[1:]
    while rest:
        match = _TOKEN.match(rest)
        assert match, f"malformed JSON path {path!r}"
        name, index, quoted = match.groups()
        out.append(name if name is not None else int(index) if index else json.loads(quoted))
        rest = rest[match.end() :]
    return out


def resolves(doc, path: str) -> bool:
    """Whether the path leads to a value of `doc`, or names a missing key of an object in it."""
    node = doc
    steps = tokens(path)
    for i, key in enumerate(steps):
        if (isinstance(node, dict) and isinstance(key, str) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node)
        ):
            node = node[key]
        else:
            return i == len(steps) - 1 and isinstance(node, dict)  # "is missing"
    return True


def locations(doc, prefix=()):
    """Every (container path, key) of the document."""
    if isinstance(doc, dict):
        items = doc.items()
    elif isinstance(doc, list):
        items = enumerate(doc)
    else:
        return
    for key, value in items:
        yield (*prefix, key)
        yield from locations(value, (*prefix, key))


@st.composite
def corrupted(draw, base: dict):
    """The document with one value replaced, one key dropped or one unknown key added."""
    doc = copy.deepcopy(base)
    where = draw(st.sampled_from(list(locations(doc))))
    parent = doc
    for key in where[:-1]:
        parent = parent[key]
    action = draw(st.sampled_from(["replace", "drop", "add"]))
    if action == "replace" or (action == "drop" and isinstance(parent, list)):
        parent[where[-1]] = draw(ANY_VALUE)
    elif action == "drop":
        del parent[where[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=6))] = draw(ANY_VALUE)
    else:
        parent.append(draw(ANY_VALUE))
    return doc


@FUZZ
@given(corrupted(document()))
def test_a_corrupted_instance_is_accepted_or_refused_with_a_path_to_the_bad_value(doc):
    try:
        parsed = instance_from_json(doc)
    except FormatError as error:
        assert resolves(doc, error.path), error
        assert error.reason
    else:  # what is accepted round-trips exactly
        assert instance_from_json(instance_to_json(parsed)) == parsed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(instances())
def test_every_valid_instance_round_trips(instance):
    assert instance_from_json(json.loads(json.dumps(instance_to_json(instance)))) == instance


def _result_document() -> dict:
    result = Result(
        method="optimal",
        assignments=(Assignment("g1", (1, 5)), Assignment("g2", (2,))),
        unscheduled=(),
        objective=60,
        lower_bound=0.0,
        bound_method="lagrangian",
        max_load_ratio=1.0,
        seconds=0.1,
        certificate=BoundCertificate(
            prices={"kadhimiya": (0.0,) * 12, "karbala-husayn": (0.0,) * 12}
        ),
    )
    return result_to_json(result)


def test_the_uncorrupted_result_passes_the_checker():
    assert check(instance_from_json(document()), result_from_json(_result_document())).ok


@FUZZ
@given(corrupted(_result_document()))
def test_a_corrupted_result_is_refused_or_judged_never_crashes(doc):
    instance = instance_from_json(document())
    try:
        result = result_from_json(doc)
    except FormatError as error:
        assert resolves(doc, error.path), error
        return
    report = check(instance, result)
    # Whatever it claims, the checker's figures are its own: a schedule it passes is feasible
    # and costs exactly what it says.
    assert report.as_dict()["ok"] == report.ok
    if report.ok:
        assert report.objective == result.objective
        assert report.overloaded_cells == 0
        assert report.scheduled + report.unscheduled == len(instance.groups)

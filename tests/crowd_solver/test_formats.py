"""Instance and result files: bad values are refused with the JSON path that names them."""

import copy
import io
import json

import pytest

from zaireen.crowd.solver import (
    FormatError,
    instance_from_json,
    instance_to_json,
    result_from_json,
    result_to_json,
    write_instance,
    write_result,
)
from zaireen.crowd.solver.model import Assignment, BoundCertificate, Result

from .helpers import document


def refused(doc) -> FormatError:
    with pytest.raises(FormatError) as caught:
        instance_from_json(doc)
    return caught.value


def with_visit(change: dict, group: int = 0, visit: int = 0) -> dict:
    doc = document()
    doc["groups"][group]["visits"][visit].update(change)
    return doc


def test_valid_document_parses():
    inst = instance_from_json(document())
    assert [z.id for z in inst.zones] == ["kadhimiya", "karbala-husayn"]
    assert inst.zones[0].capacity == (100,) * 12
    assert inst.travel("karbala-husayn", "kadhimiya") == 2  # symmetric
    assert inst.travel("kadhimiya", "kadhimiya") == 0  # missing pair
    assert inst.groups[0].visits[1].zone == "karbala-husayn"


@pytest.mark.parametrize(
    ("doc", "path", "words"),
    [
        (document(format="zaireen-slots/2"), "$.format", "zaireen-slots/1"),
        (with_visit({"zone": "samarra"}), "$.groups[0].visits[0].zone", "unknown zone"),
        (with_visit({"latest": 11}), "$.groups[0].visits[0].latest", "outside the horizon"),
        (with_visit({"earliest": 3, "latest": 2}), "$.groups[0].visits[0].earliest", "after"),
        (with_visit({"duration": 0}), "$.groups[0].visits[0].duration", "positive"),
        (with_visit({"earliest": -1}), "$.groups[0].visits[0].earliest", "at least 0"),
        (with_visit({"preferred": 12}), "$.groups[0].visits[0].preferred", "outside"),
        (with_visit({"lates": 3}), "$.groups[0].visits[0].lates", "unknown field"),
        (with_visit({"latest": "3"}), "$.groups[0].visits[0].latest", "whole number"),
        (with_visit({"latest": 3.0}), "$.groups[0].visits[0].latest", "whole number"),
        (
            with_visit({"earliest": 2, "latest": 3}, visit=1),
            "$.groups[0].visits[1].latest",
            "travel",
        ),
        (document(slots=0), "$.slots", "positive"),
        (document(unscheduled_penalty=-5), "$.unscheduled_penalty", "at least 0"),
        (document(zones=[]), "$.zones", "empty"),
        (document(travel_slots={"najaf-ali": {}}), '$.travel_slots["najaf-ali"]', "unknown"),
        (
            document(travel_slots={"kadhimiya": {"najaf": 3}}),
            "$.travel_slots.kadhimiya.najaf",
            "unknown zone",
        ),
        (
            document(
                travel_slots={
                    "kadhimiya": {"karbala-husayn": 2},
                    "karbala-husayn": {"kadhimiya": 3},
                }
            ),
            '$.travel_slots["karbala-husayn"].kadhimiya',
            "symmetric",
        ),
    ],
)
def test_bad_values_are_refused_with_their_path(doc, path, words):
    error = refused(doc)
    assert error.path == path
    assert words in error.reason
    assert str(error).startswith(path)


def test_non_positive_size_is_refused():
    doc = document()
    doc["groups"][1]["size"] = 0
    assert refused(doc).path == "$.groups[1].size"


def test_group_larger_than_every_capacity_is_refused():
    doc = document()
    doc["groups"][1]["size"] = 101  # kadhimiya holds 100
    error = refused(doc)
    assert error.path == "$.groups[1].size"
    assert "never fit" in error.reason


def test_group_that_fits_nowhere_in_its_window_is_refused():
    doc = document()
    capacity = [80] * 12
    capacity[4:11] = [30] * 7  # g1 (40 people) cannot be in Karbala during its window
    doc["zones"][1]["capacity"] = capacity
    assert refused(doc).path == "$.groups[0].size"


def test_capacity_list_must_have_one_value_per_slot():
    doc = document()
    doc["zones"][1]["capacity"] = [80] * 11
    assert refused(doc).path == "$.zones[1].capacity"
    doc["zones"][1]["capacity"] = [80] * 11 + [-1]
    assert refused(doc).path == "$.zones[1].capacity[11]"


def test_duplicate_ids_are_refused():
    doc = document()
    doc["groups"][1]["id"] = "g1"
    error = refused(doc)
    assert error.path == "$.groups[1].id"
    assert "$.groups[0]" in error.reason
    doc = document()
    doc["zones"][1]["id"] = "kadhimiya"
    assert refused(doc).path == "$.zones[1].id"


def test_missing_and_unexpected_fields():
    doc = document()
    del doc["groups"]
    assert refused(doc).path == "$.groups"
    assert refused([1, 2]).path == "$"
    doc = document()
    doc["groups"][0]["visits"] = []
    assert refused(doc).path == "$.groups[0].visits"


def test_instance_round_trip_through_the_streaming_writer():
    inst = instance_from_json(document())
    out = io.StringIO()
    write_instance(inst, out)
    again = instance_from_json(json.loads(out.getvalue()))
    assert again == inst
    assert instance_to_json(again) == instance_to_json(inst)


def test_result_round_trip_and_shape_errors():
    result = Result(
        method="optimal",
        assignments=(Assignment("g1", (1, 5)),),
        unscheduled=("g2",),
        objective=6000,
        lower_bound=5000.0,
        bound_method="lagrangian",
        max_load_ratio=0.5,
        seconds=0.1,
        certificate=BoundCertificate(prices={"kadhimiya": (0.0,) * 12}),
        stats={"rounds": 3},
    )
    out = io.StringIO()
    write_result(result, out)
    data = json.loads(out.getvalue())
    assert result_from_json(data) == result
    assert result_to_json(result)["format"] == "zaireen-slots-result/1"
    bad = copy.deepcopy(data)
    bad["format"] = "zaireen-slots/1"
    with pytest.raises(FormatError, match=r"^\$\.format"):
        result_from_json(bad)
    bad = copy.deepcopy(data)
    bad["assignments"][0]["starts"] = [1, "x"]
    with pytest.raises(FormatError) as caught:
        result_from_json(bad)
    assert caught.value.path == "$.assignments[0].starts[1]"
    bad = copy.deepcopy(data)
    bad["certificate"]["prices"]["kadhimiya"][3] = -1
    with pytest.raises(FormatError) as caught:
        result_from_json(bad)
    assert caught.value.path == "$.certificate.prices.kadhimiya[3]"


def test_a_key_with_a_trailing_newline_is_quoted_in_the_path():
    """Found by the fuzz test: a regex `$` matches before a final newline."""
    doc = document()
    doc["A\n"] = None
    assert refused(doc).path == '$["A\\n"]'

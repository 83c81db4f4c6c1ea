"""`zaireen slots generate | solve | check` through Django's call_command (no database)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args) -> str:
    out = io.StringIO()
    call_command("slots", *args, stdout=out)
    return out.getvalue()


def test_generate_solve_check(tmp_path):
    instance = tmp_path / "instance.json"
    text = run("generate", "--groups", "80", "--max-visits", "2", "--slots", "60", "--seed", "3")
    instance.write_text(text)
    assert json.loads(text)["format"] == "zaireen-slots/1"
    # The same settings write the same file.
    assert (
        run("generate", "--groups", "80", "--max-visits", "2", "--slots", "60", "--seed", "3")
        == text
    )
    for method in ("optimal", "fcfs"):
        result = tmp_path / f"{method}.json"
        summary = json.loads(
            run(
                "solve",
                str(instance),
                "--method",
                method,
                "--time-limit",
                "3",
                "--out",
                str(result),
            )
        )
        assert summary["method"] == method
        document = json.loads(result.read_text())
        assert document["format"] == "zaireen-slots-result/1"
        assert document["objective"] == summary["objective"]
        report = json.loads(run("check", str(instance), str(result)))
        assert report["ok"] is True
        assert report["objective"] == document["objective"]
        if method == "optimal":
            assert report["certified_lower_bound"] <= report["objective"]
            assert document["bound_method"]


def test_check_refuses_a_tampered_result(tmp_path):
    instance = tmp_path / "instance.json"
    instance.write_text(run("generate", "--groups", "30", "--max-visits", "1", "--slots", "40"))
    result = tmp_path / "result.json"
    run("solve", str(instance), "--method", "fcfs", "--out", str(result))
    document = json.loads(result.read_text())
    document["objective"] -= 1
    result.write_text(json.dumps(document))
    with pytest.raises(CommandError, match=r"\$\.objective"):
        run("check", str(instance), str(result))


def test_bad_instance_names_the_path(tmp_path):
    instance = tmp_path / "instance.json"
    instance.write_text(
        json.dumps({"format": "zaireen-slots/9", "slots": 4, "zones": [], "groups": []})
    )
    with pytest.raises(CommandError, match=r"\$\.format"):
        run("solve", str(instance), "--out", str(tmp_path / "r.json"))
    instance.write_text("{not json")
    with pytest.raises(CommandError, match=r"^\$: not valid JSON"):
        run("check", str(instance), str(instance))


def test_generator_settings_are_checked():
    with pytest.raises(CommandError, match="max_visits"):
        run("generate", "--groups", "5", "--max-visits", "5")


def test_warm_start_from_a_previous_result(tmp_path):
    instance = tmp_path / "instance.json"
    instance.write_text(run("generate", "--groups", "120", "--max-visits", "2", "--slots", "60"))
    first = tmp_path / "first.json"
    run("solve", str(instance), "--time-limit", "2", "--out", str(first))
    second = tmp_path / "second.json"
    run(
        "solve",
        str(instance),
        "--time-limit",
        "2",
        "--warm-start",
        str(first),
        "--out",
        str(second),
    )
    again = json.loads(second.read_text())
    assert again["stats"]["warm_start"] == "schedule and prices"
    assert json.loads(run("check", str(instance), str(second)))["ok"] is True


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("check", str(tmp_path / "missing.json"), str(tmp_path / "missing.json"))


def test_python_dash_m_runs_without_django(tmp_path):
    """The same command line as a plain module: JSON on standard output, exit status 1 and a
    message naming the path when the answer is no."""
    import subprocess
    import sys

    def module(*args):
        return subprocess.run(
            [sys.executable, "-m", "zaireen.crowd.solver", *args],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )

    made = module("generate", "--groups", "40", "--max-visits", "2", "--slots", "60")
    assert made.returncode == 0
    (tmp_path / "i.json").write_text(made.stdout)
    solved = module("solve", "i.json", "--method", "fcfs", "--out", "-")
    assert solved.returncode == 0
    assert json.loads(solved.stdout)["format"] == "zaireen-slots-result/1"
    (tmp_path / "r.json").write_text(solved.stdout)
    checked = module("check", "i.json", "r.json")
    assert checked.returncode == 0
    assert json.loads(checked.stdout)["ok"] is True
    document = json.loads(made.stdout)
    document["groups"][2]["size"] = -4
    (tmp_path / "bad.json").write_text(json.dumps(document))
    refused = module("solve", "bad.json", "--out", "-")
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: $.groups[2].size: must be positive")

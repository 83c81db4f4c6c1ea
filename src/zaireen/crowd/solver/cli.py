"""`slots solve | check | generate`: the command line, shared by `python -m` and Django.

`add_arguments` fills any argparse parser (Django's management command passes its own), and
`run` does the work with explicit output streams, so the Django command stays a thin edge.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import IO

from .checker import check
from .errors import FormatError, GeneratorError
from .formats import load_instance, load_result, write_instance, write_result
from .generator import GeneratorSettings, generate
from .solve import METHODS, SolveOptions, solve


class CommandFailed(Exception):
    """The command ran but its answer is "no" (a bad file, an infeasible result)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the three sub-commands and their options on `parser`."""
    sub = parser.add_subparsers(dest="action", required=True, metavar="{solve,check,generate}")
    solve_p = sub.add_parser("solve", help="schedule the groups of an instance")
    solve_p.add_argument("instance", help="instance file (zaireen-slots/1)")
    solve_p.add_argument("--method", choices=METHODS, default="optimal")
    solve_p.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    solve_p.add_argument("--seed", type=int, default=0, help="booking order for fcfs")
    solve_p.add_argument("--warm-start", help="a previous result to start from (its prices)")
    solve_p.add_argument("--out", required=True, help="result file to write, or - for stdout")

    check_p = sub.add_parser("check", help="recompute a result's feasibility and figures")
    check_p.add_argument("instance")
    check_p.add_argument("result")

    gen_p = sub.add_parser("generate", help="write a seeded random instance")
    gen_p.add_argument("--groups", type=int, required=True)
    gen_p.add_argument("--max-visits", type=int, default=3)
    gen_p.add_argument("--slots", type=int, default=288)
    gen_p.add_argument("--tightness", type=float, default=1.5)
    gen_p.add_argument("--seed", type=int, default=0)
    gen_p.add_argument("--out", default="-", help="file to write (default: stdout)")


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> None:
    """Carry out one sub-command; raises CommandFailed with a message when the answer is no."""
    try:
        if args.action == "generate":
            _generate(args, stdout)
        elif args.action == "solve":
            _solve(args, stdout)
        else:
            _check(args, stdout)
    except (FormatError, GeneratorError) as exc:
        raise CommandFailed(str(exc)) from exc
    except OSError as exc:
        raise CommandFailed(f"{exc.filename}: {exc.strerror}") from exc


def _generate(args: argparse.Namespace, stdout: IO[str]) -> None:
    instance = generate(
        GeneratorSettings(
            groups=args.groups,
            max_visits=args.max_visits,
            slots=args.slots,
            tightness=args.tightness,
            seed=args.seed,
        )
    )
    _write(args.out, stdout, lambda out: write_instance(instance, out))


def _solve(args: argparse.Namespace, stdout: IO[str]) -> None:
    instance = load_instance(args.instance)
    warm = load_result(args.warm_start) if args.warm_start else None
    result = solve(
        instance,
        SolveOptions(
            method=args.method, time_limit=args.time_limit, seed=args.seed, warm_start=warm
        ),
    )
    _write(args.out, stdout, lambda out: write_result(result, out))
    if args.out != "-":
        summary = {
            "method": result.method,
            "objective": result.objective,
            "lower_bound": result.lower_bound,
            "unscheduled": len(result.unscheduled),
            "max_load_ratio": result.max_load_ratio,
            "seconds": result.seconds,
        }
        stdout.write(json.dumps(summary) + "\n")


def _check(args: argparse.Namespace, stdout: IO[str]) -> None:
    instance = load_instance(args.instance)
    result = load_result(args.result)
    report = check(instance, result)
    stdout.write(json.dumps(report.as_dict(), indent=1) + "\n")
    if not report.ok:
        raise CommandFailed(
            f"the result is wrong: {report.problems[0].path}: {report.problems[0].reason}"
        )


def _write(target: str, stdout: IO[str], writer) -> None:
    if target == "-":
        writer(stdout)
        return
    with open(target, "w", encoding="utf-8") as handle:
        writer(handle)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m zaireen.crowd.solver`."""
    parser = argparse.ArgumentParser(prog="python -m zaireen.crowd.solver")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        run(args, sys.stdout, sys.stderr)
    except CommandFailed as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0

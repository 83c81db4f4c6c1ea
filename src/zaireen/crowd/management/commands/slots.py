"""`zaireen slots solve|check|generate`: a thin edge over the pure slot engine."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError

from zaireen.crowd.solver import cli


class _Raw:
    """Django's OutputWrapper adds a newline to every write; the JSON writers stream pieces."""

    def __init__(self, wrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")


class Command(BaseCommand):
    help = (
        "Crowd-safe time slots: generate an instance, solve it (optimal or fcfs), or check a "
        "result independently."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args, **options) -> None:
        namespace = argparse.Namespace(**options)
        try:
            cli.run(namespace, _Raw(self.stdout), _Raw(self.stderr))
        except cli.CommandFailed as exc:
            raise CommandError(str(exc)) from exc

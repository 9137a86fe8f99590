"""What every benchmark in bench/ needs: a checked `mkdocs build` in a new process, a block run the naive way.

A build is timed from the outside (process start to exit) and returned with
what the course hook logged and, if asked for, its per-block JSON report
(COURSE_REPORT), so that the caller can check that the build did what it
should before trusting its time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The hook's summary line (hooks/course.py). "ran" also counts the runs that check exercises,
# so it can exceed "blocks". "executing" is the sum of the blocks' own times (so it does not shrink
# when sessions run in parallel); "in all" is the wall time of the whole examples phase.
EXAMPLES_SUMMARY = re.compile(
    r"Examples: (?P<blocks>\d+) blocks: (?P<ran>\d+) ran, (?P<cached>\d+) cached, (?P<replayed>\d+) replayed, "
    r"(?P<failed>\d+) failed; (?P<executing>[\d.]+) s executing, (?P<in_all>[\d.]+) s in all")
# What the hook logs instead when COURSE_EXECUTE=off.
EXECUTION_OFF = "COURSE_EXECUTE=off"
EXPECTED_OUTPUT = "send_mail returned 1\n"


class BenchmarkError(RuntimeError):
    """A build or a block failed, or did not do what it should: its time would mean nothing."""


def timed(action: Callable[[], object]) -> float:
    """Seconds `action()` took."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


@dataclass(frozen=True)
class Summary:
    """The hook's summary line, parsed."""

    blocks: int
    ran: int
    cached: int
    replayed: int
    failed: int
    executing: float
    in_all: float


@dataclass
class Build:
    """One finished build: how long it took, what the course hook logged, and its report if asked for."""

    seconds: float
    log: str
    report: list[dict] | None = None

    @property
    def summary(self) -> Summary | None:
        found = EXAMPLES_SUMMARY.search(self.log)
        if found is None:
            return None
        numbers = found.groupdict()
        return Summary(**{name: (float if name in ("executing", "in_all") else int)(value)
                          for name, value in numbers.items()})

    def block_counts(self) -> tuple[int, int, int]:
        """(blocks in the course, runs, cached results) from the hook's summary line; zeros if it ran none."""
        summary = self.summary
        return (summary.blocks, summary.ran, summary.cached) if summary else (0, 0, 0)


def build_environment(**settings: str) -> dict[str, str]:
    """This process's environment without its COURSE_* settings (but the sandbox choice), plus `settings`."""
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith("COURSE_") or name == "COURSE_SANDBOX"}
    return {**inherited, "NO_MKDOCS_2_WARNING": "1", **settings}


def build_site(config_file: Path, *, report: bool = False, **settings: str) -> Build:
    """Build strictly into a fresh temporary folder, with COURSE_* `settings` in the environment.

    Unless `settings` name one, the results cache lives in a throwaway folder,
    so a benchmark never reads or writes a course's own .cache/. With
    `report`, the hook's JSON report (COURSE_REPORT) comes back with the build.
    """
    with tempfile.TemporaryDirectory(prefix="course-bench-") as scratch:
        report_file = Path(scratch) / "report.json"
        environment = build_environment(**{"COURSE_CACHE_DIR": str(Path(scratch) / "cache"), **settings})
        if report:
            environment["COURSE_REPORT"] = str(report_file)
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file),
                   "-d", str(Path(scratch) / "site")]
        started = time.perf_counter()
        build = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=config_file.parent)
        seconds = time.perf_counter() - started
        if build.returncode != 0:
            raise BenchmarkError(f"`{' '.join(command)}` failed:\n{build.stderr[-5000:]}")
        entries = None
        if report:
            try:
                entries = json.loads(report_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise BenchmarkError(f"the build wrote no readable COURSE_REPORT ({error}); its log:\n"
                                     f"{build.stderr[-5000:]}") from None
    return Build(seconds, build.stderr, entries)


# -- the naive way: a fresh interpreter and django.setup() per block ------


def fresh_interpreter_prelude(snippets_dir: Path) -> str:
    """What a fresh interpreter does before it can run a block (the block's code comes on stdin)."""
    return f"""\
import os, sys
sys.path.insert(0, {str(snippets_dir)!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "course_settings"
import django
django.setup()
exec(compile(sys.stdin.read(), "<block>", "exec"))
"""


def run_in_fresh_interpreter(code: str, snippets_dir: Path, where: str) -> None:
    """Run `code` in a new `python` process that sets Django up first; it must send its message."""
    process = subprocess.run([sys.executable, "-c", fresh_interpreter_prelude(snippets_dir)], input=code,
                             capture_output=True, text=True, cwd=tempfile.gettempdir())
    if process.returncode != 0:
        raise BenchmarkError(f"{where} failed in a fresh interpreter:\n{process.stderr}")
    check_output(where, process.stdout)


def check_output(where: str, output: str) -> None:
    """Every benchmark block ends by printing what send_mail returned."""
    if not output.endswith(EXPECTED_OUTPUT):
        raise BenchmarkError(f"{where} printed {output[-500:]!r}, not a sent message")

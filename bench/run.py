"""Benchmarks of the course engine: one run, one Markdown table (printed and written to bench/results.md).

    .venv/bin/python bench/run.py        (or: make bench)

What is measured, all on this machine in this one run, so that the ratios
compare like with like:

1. Whole-course build. The real course is built with `mkdocs build --strict`
   into a fresh temporary folder, in a new process each time, alternately with
   every block run (COURSE_CACHE=off: no results cache; sessions on all
   cores, the default) and with COURSE_EXECUTE=off (the same pages; blocks
   are shown but not run: the floor). Each time covers everything a user waits
   for: starting MkDocs, and with execution on, starting the warm Django parent
   and running every block. One unmeasured build of each kind comes first
   (disk cache, .pyc files); then the median of --builds builds of each kind.

2. Per-block cost. The same --blocks small Django blocks (each renders the
   welcome email's templates from snippets/templates/emails/ and sends it
   through the console mailer) run one after another, in two ways:
   - through the Runner, each block in its own session forked from the warm
     parent (namespaces, limits, output capture: what the build does). The
     parent is started before the clock starts; its start-up, paid once per
     build, is a row of its own;
   - the naive way: each block in a fresh `python` process that runs
     `django.setup()` with DJANGO_SETTINGS_MODULE=course_settings and then the
     block, its output captured.
   Both run one block at a time (one worker), so the ratio is the cost of a
   fresh interpreter plus `django.setup()` against a fork. Median of
   --repeats rounds of all blocks, the two ways taking turns round by round.

Every build and every block is checked (exit status, the hook's log, the
block's output), so a broken engine cannot produce a good-looking number.
Nothing here asserts a time: the numbers are reported, not judged.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
SNIPPETS = REPO / "snippets"
sys.path[:0] = [str(REPO / "hooks"), str(BENCH)]

import django  # noqa: E402

from courseware.blocks import RunBlock, scan_page  # noqa: E402
from courseware.runner import Runner  # noqa: E402
from synthetic_course import welcome_block  # noqa: E402

EXPECTED_OUTPUT = "send_mail returned 1\n"
# The hook's summary line. "ran" also counts the runs that check exercises, so it can exceed "blocks".
EXAMPLES_SUMMARY = re.compile(r"Examples: (?P<blocks>\d+) blocks: (?P<ran>\d+) ran, (?P<cached>\d+) cached")
SKIPPED_BLOCKS = "COURSE_EXECUTE=off"

# What a fresh interpreter does before it can run a block: the naive way.
FRESH_INTERPRETER_PRELUDE = f"""\
import os, sys
sys.path.insert(0, {str(SNIPPETS)!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "course_settings"
import django
django.setup()
exec(compile(sys.stdin.read(), "<block>", "exec"))
"""


class BenchmarkError(RuntimeError):
    """A build or a block failed: its time would mean nothing."""


@dataclass
class Row:
    """One line of the results table."""

    measurement: str
    seconds: float
    ratio: str = ""


def timed(action: Callable[[], object]) -> float:
    """Seconds `action()` took."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# -- 1. whole-course build ----------------------------------------------


@dataclass
class Build:
    """One finished build: how long it took and what the course hook logged."""

    seconds: float
    log: str

    def block_counts(self) -> tuple[int, int, int]:
        """(blocks in the course, runs, cached results) from the hook's summary line; zeros if it ran none."""
        summary = EXAMPLES_SUMMARY.search(self.log)
        return (int(summary["blocks"]), int(summary["ran"]), int(summary["cached"])) if summary else (0, 0, 0)


def build_site(config_file: Path, **settings: str) -> Build:
    """Build strictly into a fresh temporary folder, with COURSE_* `settings` in the environment.

    Unless `settings` name one, the results cache lives in a throwaway folder,
    so a benchmark never reads or writes the course's own .cache/.
    """
    with tempfile.TemporaryDirectory(prefix="course-bench-") as scratch:
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
                       "COURSE_CACHE_DIR": str(Path(scratch) / "cache"), **settings}
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file),
                   "-d", str(Path(scratch) / "site")]
        started = time.perf_counter()
        build = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=config_file.parent)
        seconds = time.perf_counter() - started
    if build.returncode != 0:
        raise BenchmarkError(f"`{' '.join(command)}` failed:\n{build.stderr}")
    return Build(seconds, build.stderr)


def build_without_execution(config_file: Path) -> Build:
    """The floor: the same pages, blocks shown but not run."""
    build = build_site(config_file, COURSE_EXECUTE="off")
    if SKIPPED_BLOCKS not in build.log or build.block_counts() != (0, 0, 0):
        raise BenchmarkError(f"COURSE_EXECUTE=off did not switch execution off; the build's log:\n{build.log}")
    return build


def build_running_every_block(config_file: Path) -> Build:
    """Execution on, every block really run (no results cache), sessions on all cores."""
    build = build_site(config_file, COURSE_EXECUTE="on", COURSE_CACHE="off")
    blocks, ran, cached = build.block_counts()
    if blocks == 0 or ran < blocks or cached:
        raise BenchmarkError(f"the build ran {ran} of {blocks} blocks ({cached} cached); its log:\n{build.log}")
    return build


def measure_course_build(config_file: Path, builds: int) -> list[Row]:
    """Median build time with execution off (the floor) and on, interleaved."""
    build_without_execution(config_file)
    block_count = build_running_every_block(config_file).block_counts()[0]
    off: list[float] = []
    on: list[float] = []
    for _ in range(builds):
        off.append(build_without_execution(config_file).seconds)
        on.append(build_running_every_block(config_file).seconds)
    floor, executed = statistics.median(off), statistics.median(on)
    return [
        Row("Real course build, execution off (`COURSE_EXECUTE=off`, the floor)", floor, "1.00×"),
        Row(f"Real course build, every block run ({block_count} blocks, no cache)", executed,
            f"{executed / floor:.2f}× the floor"),
    ]


# -- 2. per-block cost ----------------------------------------------------


def django_blocks(count: int) -> list[RunBlock]:
    """`count` small, self-contained Django blocks, as the scanner reads them from a page."""
    page = "\n".join(f"```python run\n{welcome_block(1, number)}```\n" for number in range(1, count + 1))
    blocks, problems = scan_page(page, "bench/blocks.md", SNIPPETS)
    if problems or len(blocks) != count:
        raise BenchmarkError(f"the benchmark's own blocks do not scan: {problems}")
    return blocks


def check_output(block: RunBlock, output: str) -> None:
    if not output.endswith(EXPECTED_OUTPUT):
        raise BenchmarkError(f"block {block.line} printed {output[-500:]!r}, not a sent message")


def run_blocks_in_forked_sessions(runner: Runner, blocks: list[RunBlock]) -> None:
    """Each block in a session of its own, forked from the (already warm) parent."""
    for (result,) in runner.run_sessions([[block] for block in blocks]):
        if result.failed:
            raise BenchmarkError(f"block {result.block.line} failed in the Runner: {result.error}")
        check_output(result.block, result.output)


def run_blocks_in_fresh_interpreters(blocks: list[RunBlock]) -> None:
    """Each block in a new `python` process that sets Django up first: the naive way."""
    for block in blocks:
        process = subprocess.run([sys.executable, "-c", FRESH_INTERPRETER_PRELUDE], input=block.code,
                                 capture_output=True, text=True, cwd=tempfile.gettempdir())
        if process.returncode != 0:
            raise BenchmarkError(f"block {block.line} failed in a fresh interpreter:\n{process.stderr}")
        check_output(block, process.stdout)


def measure_block_cost(block_count: int, repeats: int) -> list[Row]:
    """Seconds per block, forked vs in a fresh interpreter (rounds alternate), and the parent's start-up."""
    blocks = django_blocks(block_count)
    startups: list[float] = []
    forked: list[float] = []
    fresh: list[float] = []
    for _ in range(repeats):
        runner = Runner(repo=REPO, snippets_dir=SNIPPETS, workers=1)
        try:
            startups.append(timed(runner.start))
            forked.append(timed(lambda: run_blocks_in_forked_sessions(runner, blocks)) / block_count)
        finally:
            runner.close()
        fresh.append(timed(lambda: run_blocks_in_fresh_interpreters(blocks)) / block_count)
    fork, fresh_median = statistics.median(forked), statistics.median(fresh)
    return [
        Row("Warm Django parent start-up (once per build)", statistics.median(startups)),
        Row("One block, in a session forked from the warm parent", fork, "1.00×"),
        Row("One block, in a fresh interpreter with `django.setup()`", fresh_median,
            f"{fresh_median / fork:.1f}× the fork"),
    ]


# -- report ---------------------------------------------------------------


def shown_time(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def markdown_table(rows: list[Row]) -> str:
    lines = ["| Measurement | Median | Ratio |", "| --- | ---: | ---: |"]
    lines += [f"| {row.measurement} | {shown_time(row.seconds)} | {row.ratio or '—'} |" for row in rows]
    return "\n".join(lines) + "\n"


def conditions(arguments: argparse.Namespace, load_before: float, load_after: float) -> str:
    """The machine and the method, under the table: the ratios mean something only with them."""
    sandbox = os.environ.get("COURSE_SANDBOX", "namespaces")
    return (f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, Django {django.get_version()}, sandbox {sandbox}; "
            f"medians of {arguments.builds} builds of each kind and of {arguments.repeats} rounds "
            f"of {arguments.blocks} blocks, one block at a time. Load average {load_before:.2f} before, "
            f"{load_after:.2f} after (other work on the machine skews the numbers).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--builds", type=int, default=5, help="builds of each kind (default 5)")
    parser.add_argument("--blocks", type=int, default=40, help="blocks in the per-block comparison (default 40)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of those blocks (default 3)")
    parser.add_argument("--output", type=Path, default=BENCH / "results.md", help="where the table is written")
    arguments = parser.parse_args()

    load_before = os.getloadavg()[0]
    try:
        rows = measure_course_build(REPO / "mkdocs.yml", arguments.builds)
        rows += measure_block_cost(arguments.blocks, arguments.repeats)
    except BenchmarkError as error:
        sys.exit(f"benchmark stopped: {error}")
    report = f"{markdown_table(rows)}\n{conditions(arguments, load_before, os.getloadavg()[0])}\n"
    print(report, end="")
    arguments.output.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()

"""The course engine at scale: a generated course, built every way issue 4 asks about.

The course (synthetic_course.py, 100 lessons x 20 run blocks by default) is
written under bench/out/, with a private copy of snippets/ so that a template
can be edited without touching the repository. Every build is a real
`mkdocs build --strict` in a new process, into a fresh temporary site folder,
timed from process start to exit. The kinds of build:

  floor          COURSE_EXECUTE=off: the same pages, blocks shown but not run
  cold           an empty results cache (a fresh COURSE_CACHE_DIR each time),
                 with COURSE_WORKERS=1 and with COURSE_WORKERS=<all cores>; the
                 other builds use the default (one worker less than the cores)
  warm           the full cache (filled by an unmeasured cold build), nothing changed
  block edit     one block in the middle of the middle lesson changed, then restored
  template edit  snippets/templates/emails/order_confirmation.txt changed (every
                 ORDER_EVERY-th block of every lesson renders it), then restored
  naive          not a build: a fixed sample of the course's blocks, each in a fresh
                 `python` with django.setup(), one at a time; extrapolated to the course

Each edit is new (it carries the repetition's number) and builds with a
throwaway copy of the full cache, so no edit finds its own results cached from
an earlier repetition, and every warm build and edit starts from the same full
cache.

Builds of the different kinds take turns, round by round, so that a change in
the machine's load hits them alike; one unmeasured floor build comes first
(disk cache, .pyc files). Every build is checked before its time counts: its
exit status, the hook's summary line, and (execution on) its COURSE_REPORT,
block by block: exactly the expected blocks ran, replayed or came from the
cache, and none failed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from measure import EXECUTION_OFF, BenchmarkError, Build, build_site, run_in_fresh_interpreter
from synthetic_course import ORDER_EVERY, block_code, lesson_path, write_course

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "hooks"))

from courseware.blocks import scan_page  # noqa: E402
from courseware.execution import RAN  # noqa: E402
from courseware.runner import Runner  # noqa: E402
from courseware.runner.background import CacheSettings, RunnerProcess  # noqa: E402

EDITED_TEMPLATE = "templates/emails/order_confirmation.txt"

Block = tuple[str, int]  # (page, line), as the hook's report names a block


# -- the course ------------------------------------------------------------


@dataclass
class Course:
    """A generated course on disk, and where each of its blocks is."""

    config_file: Path
    snippets: Path
    lessons: int
    blocks_per_lesson: int
    lines: dict[int, list[int]]  # lesson -> line of each of its blocks, in order

    @classmethod
    def generate(cls, folder: Path, lessons: int, blocks_per_lesson: int) -> Course:
        """Write the course into `folder` (emptied first), with its own copy of snippets/."""
        if folder.exists():
            shutil.rmtree(folder)
        snippets = folder / "snippets"
        shutil.copytree(REPO / "snippets", snippets, ignore=shutil.ignore_patterns("__pycache__"))
        config_file = write_course(folder / "course", lessons=lessons, blocks_per_lesson=blocks_per_lesson,
                                   snippets_dir=snippets)
        course = cls(config_file, snippets, lessons, blocks_per_lesson, {})
        for lesson in range(1, lessons + 1):
            blocks, problems = scan_page(course.lesson_file(lesson).read_text(encoding="utf-8"),
                                         course.page(lesson), snippets)
            if problems or len(blocks) != blocks_per_lesson:
                raise BenchmarkError(f"{course.page(lesson)} does not scan as {blocks_per_lesson} blocks: {problems}")
            course.lines[lesson] = [block.line for block in blocks]
        return course

    @property
    def block_count(self) -> int:
        return self.lessons * self.blocks_per_lesson

    def page(self, lesson: int) -> str:
        """The lesson's path as the hook reports it (relative to the folder of mkdocs.yml)."""
        return f"docs/{lesson_path(lesson)}"

    def lesson_file(self, lesson: int) -> Path:
        return self.config_file.parent / "docs" / lesson_path(lesson)

    def blocks(self, lesson: int, first: int, last: int) -> set[Block]:
        """Blocks `first` to `last` (numbered from 1, both included) of a lesson."""
        return {(self.page(lesson), line) for line in self.lines[lesson][first - 1:last]}

    def all_blocks(self) -> set[Block]:
        return set().union(*(self.blocks(lesson, 1, self.blocks_per_lesson) for lesson in self.lines))


# -- the builds, each checked ---------------------------------------------


@dataclass
class Sample:
    """The builds of one kind (each with its log and report), and their medians."""

    builds: list[Build] = field(default_factory=list)
    session_seconds: list[float] = field(default_factory=list)  # block edit: its page's blocks' run time
    session_alone: list[float] = field(default_factory=list)  # block edit: its page's session from nothing

    def median(self, value: Callable[[Build], float] = lambda build: build.seconds) -> float:
        return statistics.median(value(build) for build in self.builds)


class Builds:
    """Builds the course each way, checks each build, and restores every edit."""

    def __init__(self, course: Course, work: Path):
        self.course = course
        self.work = work
        self.warm_cache = work / "warm-cache"
        self.cores = os.cpu_count() or 1
        # The block edit: the middle block of the middle lesson. Its session reruns from its start;
        # only the edited block's result changes, so every other block of the lesson counts as replayed.
        self.edited_lesson = (course.lessons + 1) // 2
        self.edited_block = course.blocks_per_lesson // 2 + 1

    def floor(self) -> Build:
        build = build_site(self.course.config_file, COURSE_EXECUTE="off")
        if EXECUTION_OFF not in build.log or build.summary is not None:
            raise BenchmarkError(f"COURSE_EXECUTE=off did not switch execution off; the build's log:\n{build.log}")
        return build

    def cold(self, workers: int) -> Build:
        with tempfile.TemporaryDirectory(prefix="cold-cache-", dir=self.work) as cache:
            build = self._executed(self.course.all_blocks(), set(), COURSE_CACHE_DIR=cache,
                                   COURSE_WORKERS=str(workers))
        return build

    def examples_alone(self, workers: int) -> float:
        """Seconds to run the whole course's examples cold with the build's driver, no MkDocs around it.

        What the worker count can speed up: the same work as a cold build's
        examples, with the cores free of page rendering. Timed from starting
        the driver (and its warm parent) to the last page's results.
        """
        pages = {self.course.page(lesson): self.course.lesson_file(lesson).read_text(encoding="utf-8")
                 for lesson in self.course.lines}
        with tempfile.TemporaryDirectory(prefix="alone-cache-", dir=self.work) as cache:
            started = time.perf_counter()
            with RunnerProcess(repo=REPO, snippets_dir=self.course.snippets, workers=workers) as runner:
                run = runner.start_course(pages, cache=CacheSettings(Path(cache),
                                                                     self.course.snippets / "course_settings.py"))
                run.wait_all()
                seconds = time.perf_counter() - started
        if run.count(RAN) != self.course.block_count or run.failures:
            raise BenchmarkError(f"running the examples alone with {workers} worker(s): {run.count(RAN)} of "
                                 f"{self.course.block_count} blocks ran; problems: {run.failures[:3]}")
        return seconds

    def fill_warm_cache(self) -> Build:
        """An unmeasured cold build whose results the warm and edit builds use."""
        if self.warm_cache.exists():
            shutil.rmtree(self.warm_cache)
        return self._executed(self.course.all_blocks(), set(), COURSE_CACHE_DIR=str(self.warm_cache))

    def warm(self) -> Build:
        return self._executed(set(), set(), COURSE_CACHE_DIR=str(self.warm_cache))

    def block_edit(self, take: int) -> tuple[Build, float, float]:
        """Edit one block, build, restore; returns the build, its edited page's blocks' run time (from
        the report) and that page's session run alone from nothing (`session_alone`)."""
        lesson, block = self.edited_lesson, self.edited_block
        original_code = block_code(lesson, block)
        # In place, so that no block moves to another line: the message gets another subject.
        edited_code = original_code.replace("send_mail(subject,", f'send_mail(subject + " (take {take})",')
        page = self.course.page(lesson)
        everything = self.course.blocks(lesson, 1, self.course.blocks_per_lesson)
        edited = self.course.blocks(lesson, block, block)
        with _edited(self.course.lesson_file(lesson), original_code, edited_code), self._warm_copy() as cache:
            build = self._executed(edited, everything - edited, COURSE_CACHE_DIR=cache)
            alone = self.session_alone(lesson)
        session = sum(entry["seconds"] for entry in build.report if entry["page"] == page)
        return build, session, alone

    def session_alone(self, lesson: int) -> float:
        """Seconds to run one lesson's session from nothing, as a build with nothing warm must: start a
        warm parent (Django set up), run the page's blocks in one session, end."""
        page = self.course.page(lesson)
        blocks, problems = scan_page(self.course.lesson_file(lesson).read_text(encoding="utf-8"), page,
                                     self.course.snippets)
        started = time.perf_counter()
        runner = Runner(repo=REPO, snippets_dir=self.course.snippets, workers=1)
        try:
            runner.start()
            (results,) = runner.run_sessions([blocks])
            seconds = time.perf_counter() - started
        finally:
            runner.close()
        failed = [result for result in results if result.failed]
        if problems or failed or len(results) != self.course.blocks_per_lesson:
            raise BenchmarkError(f"{page}'s session, run alone: problems {problems[:3]}, "
                                 f"{len(failed)} failed blocks of {len(results)}")
        return seconds

    def template_edit(self, take: int) -> Build:
        """Edit the order template, build, restore."""
        template = self.course.snippets / EDITED_TEMPLATE
        original = template.read_text(encoding="utf-8")
        ran = {(self.course.page(lesson), line) for lesson, lines in self.course.lines.items()
               for number, line in enumerate(lines, start=1) if number % ORDER_EVERY == 0}
        # Each lesson's session reruns from its first reader of the template on; the blocks that do
        # not render it show the same results as before and count as replayed, like those before it.
        replayed = self.course.all_blocks() - ran
        with _edited(template, original, original + f"\n(Edited, take {take}.)\n"), self._warm_copy() as cache:
            return self._executed(ran, replayed, COURSE_CACHE_DIR=cache)

    def template_readers(self) -> int:
        """Blocks that render the edited template themselves."""
        return self.course.lessons * (self.course.blocks_per_lesson // ORDER_EVERY)

    @contextmanager
    def _warm_copy(self) -> Iterator[str]:
        """A throwaway copy of the full cache (made before the clock starts), for a build after an edit.

        The cache keeps one result per key, and a template is not part of the key but
        recorded with the result: after an edit and its undoing, the entries of the
        blocks that read the template would hold the edited version's results, and the
        next warm build would rerun them. Each edit therefore starts from the same full
        cache, and leaves it as it was.
        """
        with tempfile.TemporaryDirectory(prefix="edit-cache-", dir=self.work) as scratch:
            copy = Path(scratch) / "cache"
            shutil.copytree(self.warm_cache, copy)
            yield str(copy)

    def _executed(self, ran: set[Block], replayed: set[Block], **settings: str) -> Build:
        """A build with execution on, checked block by block against what should have run."""
        settings = {"COURSE_EXECUTE": "on", "COURSE_CACHE": "on", **settings}  # the default worker count
        build = build_site(self.course.config_file, report=True, **settings)
        every = self.course.all_blocks()
        expected = {block: "ran" if block in ran else "replayed" if block in replayed else "cached"
                    for block in every}
        found = {(entry["page"], entry["line"]): entry["status"] for entry in build.report}
        summary = build.summary
        counts = (len(every), len(ran), len(every) - len(ran) - len(replayed), len(replayed), 0)
        logged = summary and (summary.blocks, summary.ran, summary.cached, summary.replayed, summary.failed)
        if found != expected or len(build.report) != len(every) or logged != counts:
            wrong = sorted(block for block in every if found.get(block) != expected[block])
            shown = ", ".join(f"{page}:{line} {found.get((page, line))} (expected {expected[(page, line)]})"
                              for page, line in wrong[:5])
            raise BenchmarkError(
                f"with {settings}, expected (blocks, ran, cached, replayed, failed) = {counts}, the hook "
                f"logged {logged}; {len(wrong)} blocks differ from the expected: {shown}\n"
                f"the build's log:\n{build.log[-3000:]}")
        return build


@contextmanager
def _edited(path: Path, old: str, new: str) -> Iterator[None]:
    """Replace `old` (there exactly once) by `new` in a file for the duration of a `with`; always restore."""
    original = path.read_text(encoding="utf-8")
    if original.count(old) != 1 or old == new:
        raise BenchmarkError(f"{path}: the text to edit is not there exactly once, or the edit changes nothing")
    path.write_text(original.replace(old, new), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


# -- the naive way ---------------------------------------------------------


def naive_sample(course: Course, size: int) -> list[tuple[str, str]]:
    """`size` of the course's blocks, spread evenly over it: (where, code) each."""
    size = min(size, course.block_count)
    picked = [index * course.block_count // size for index in range(size)]
    return [(f"{course.page(1 + index // course.blocks_per_lesson)} block {1 + index % course.blocks_per_lesson}",
             block_code(1 + index // course.blocks_per_lesson, 1 + index % course.blocks_per_lesson))
            for index in picked]


def run_naively(course: Course, sample: list[tuple[str, str]]) -> float:
    """Seconds per block, each in a fresh interpreter with django.setup(), one at a time."""
    started = time.perf_counter()
    for where, code in sample:
        run_in_fresh_interpreter(code, course.snippets, where)
    return (time.perf_counter() - started) / len(sample)


# -- one run ---------------------------------------------------------------


@dataclass
class Measurements:
    course: Course
    builds: Builds
    samples: dict[str, Sample]
    naive_per_block: list[float]
    naive_sample_size: int
    alone: dict[str, list[float]]  # "1 worker" / "all cores": the examples run without MkDocs, per round


def measure(folder: Path, *, lessons: int, blocks_per_lesson: int, rounds: int, extra_rounds: int,
            sample_size: int, progress: Callable[[str], None]) -> Measurements:
    """Generate the course in `folder`, build it every way, round by round (see the module's docstring)."""
    course = Course.generate(folder, lessons, blocks_per_lesson)
    builds = Builds(course, folder)
    sample = naive_sample(course, sample_size)
    samples: dict[str, Sample] = defaultdict(Sample)
    naive: list[float] = []
    alone: dict[str, list[float]] = defaultdict(list)

    progress(f"{course.block_count} blocks in {lessons} lessons, written to {folder}; unmeasured builds first")
    builds.floor()
    builds.fill_warm_cache()
    for round_number in range(rounds + extra_rounds):
        full = round_number < rounds
        shown = []

        def build(kind: str, action: Callable[[], Build | tuple[Build, float, float]]) -> None:
            outcome = action()
            built, *session = outcome if isinstance(outcome, tuple) else (outcome,)
            samples[kind].builds.append(built)
            if session:
                samples[kind].session_seconds.append(session[0])
                samples[kind].session_alone.append(session[1])
            shown.append(f"{kind} {built.seconds:.1f} s")

        build("floor", builds.floor)
        if full:
            build("cold, 1 worker", lambda: builds.cold(1))
            build("cold, all cores", lambda: builds.cold(builds.cores))
        build("warm", builds.warm)
        build("block edit", lambda: builds.block_edit(round_number))
        if full:
            build("template edit", lambda: builds.template_edit(round_number))
            naive.append(run_naively(course, sample))
            shown.append(f"naive {naive[-1] * 1000:.0f} ms a block")
            for kind, workers in (("1 worker", 1), ("all cores", builds.cores)):
                alone[kind].append(builds.examples_alone(workers))
                shown.append(f"examples alone, {kind} {alone[kind][-1]:.1f} s")
        progress(f"round {round_number + 1} of {rounds + extra_rounds}: " + "; ".join(shown))
    return Measurements(course, builds, dict(samples), naive, len(sample), dict(alone))


# -- the tables ------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _signed(seconds: float) -> str:
    return f"{'+' if seconds >= 0 else '−'}{_seconds(abs(seconds))}"


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def tables(results: Measurements) -> str:
    """The builds table and the targets table, in Markdown, with what each row means under them.

    The machine's load drifts while the benchmark runs, so every ratio is taken
    within a round (this build ÷ the same round's other build) and the median of
    those per-round ratios is shown: the kinds of build take turns in each round,
    so the drift hits both sides of a ratio alike.
    """
    course, builds, samples = results.course, results.builds, results.samples
    total = course.block_count

    def per_round(kind: str, of: Callable[[Build], float] = lambda build: build.seconds) -> list[float]:
        if kind == "naive":  # the floor of the same round, plus the course's blocks at that round's naive rate
            return [floor + total * block for floor, block in zip(per_round("floor"), results.naive_per_block)]
        return [of(build) for build in samples[kind].builds]

    def paired(first: list[float], second: list[float], how=lambda a, b: a / b) -> float:
        """Median over rounds of how(first, second), each side of the same round."""
        return statistics.median(how(a, b) for a, b in zip(first, second))

    def spread(values: list[float]) -> str:
        median = _seconds(statistics.median(values))
        return median if len(values) == 1 else f"{median} ({min(values):.1f}–{max(values):.1f})"

    def logged(kind: str) -> tuple[str, str, str]:
        """Blocks run, and the two times of the hook's log line (medians)."""
        if kind == "floor":
            return "0", "—", "—"
        if kind == "naive":
            return f"{total}", _seconds(statistics.median(total * block for block in results.naive_per_block)), "—"
        summary = samples[kind].builds[0].summary
        run = f"{summary.ran} + {summary.replayed} replayed" if summary.replayed else f"{summary.ran}"
        return (run, _seconds(statistics.median(per_round(kind, lambda build: build.summary.executing))),
                _seconds(statistics.median(per_round(kind, lambda build: build.summary.in_all))))

    edited = f"lesson {builds.edited_lesson}, block {builds.edited_block} of {course.blocks_per_lesson}"
    titles = {
        "floor": "Execution off (`COURSE_EXECUTE=off`): the floor",
        "cold, 1 worker": "Cold (empty cache), `COURSE_WORKERS=1`"
                          + (" (the default here)" if builds.cores <= 2 else ""),
        "cold, all cores": f"Cold (empty cache), `COURSE_WORKERS={builds.cores}` (all cores)",
        "warm": "Warm (full cache, nothing changed)",
        "block edit": f"One block edited ({edited}), warm cache",
        "template edit": (f"One template edited (`{EDITED_TEMPLATE.rsplit('/', 1)[-1]}`, rendered by "
                          f"{builds.template_readers()} blocks), warm cache"),
        "naive": (f"Naive: fresh `python` + `django.setup()` per block, one at a time — **extrapolated**: "
                  f"floor + {total} × the time a block took in a sample of {results.naive_sample_size} blocks"),
    }
    lines = [f"Synthetic course: {course.lessons} lessons × {course.blocks_per_lesson} run blocks = {total} blocks.",
             "",
             "| Build | Runs | Median (range) | × floor | Blocks/s | Blocks run | Executing (log) "
             "| Examples phase (log) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, title in titles.items():
        seconds = per_round(kind)
        run, executing, phase = logged(kind)
        rate = f"{total / statistics.median(seconds):.0f}"
        if kind == "naive":
            rate += f" ({1 / statistics.median(results.naive_per_block):.2f} sampled)"
        lines.append(f"| {title} | {len(seconds)} | {spread(seconds)} | "
                     f"{paired(seconds, per_round('floor')):.2f}× | {rate} | {run} | {executing} | {phase} |")

    floor = per_round("floor")
    warm = paired(per_round("warm"), floor)
    session = samples["block edit"].session_seconds
    session_alone = samples["block edit"].session_alone
    over_run_time = statistics.median(edit - floor_seconds - page_session for edit, floor_seconds, page_session
                                      in zip(per_round("block edit"), floor, session))
    over = statistics.median(edit - floor_seconds - page_session for edit, floor_seconds, page_session
                             in zip(per_round("block edit"), floor, session_alone))
    speedup = paired(per_round("cold, 1 worker"), per_round("cold, all cores"))
    def phase(build: Build) -> float:
        return build.summary.in_all

    phase_speedup = paired(per_round("cold, 1 worker", phase), per_round("cold, all cores", phase))
    versus_naive = paired(per_round("naive"), per_round("cold, all cores"))
    alone_speedup = paired(results.alone["1 worker"], results.alone["all cores"])
    one_worker_over_floor = paired(per_round("cold, 1 worker"), floor)
    # Running the examples first and rendering after (what a build that does not overlap them would take).
    serial = [floor_seconds + alone for floor_seconds, alone in zip(floor, results.alone["1 worker"])]
    overlap = paired(serial, per_round("cold, 1 worker"))
    targets = [
        ("Warm build ≤ 1.15× the floor", f"{warm:.2f}×", warm <= 1.15),
        ("One-block edit ≤ floor + that page's session (run alone from nothing: Django set up in a warm "
         f"parent, then the page's {course.blocks_per_lesson} blocks)",
         f"{_signed(over)} against floor + session (session {_seconds(statistics.median(session_alone))})",
         over <= 0),
        ("— the same, counting only the page's blocks' run time in the edit build (Django's set-up left out)",
         f"{_signed(over_run_time)} against floor + {_seconds(statistics.median(session))}", over_run_time <= 0),
        (f"Cold build, all {builds.cores} cores, ≥ 1.6× faster than 1 worker", f"{speedup:.2f}× (whole build)",
         speedup >= 1.6),
        ("— the same, examples phase of those builds (pages render on the same cores meanwhile)",
         f"{phase_speedup:.2f}×", phase_speedup >= 1.6),
        ("— the same examples run alone by the build's driver, no MkDocs (cold: "
         f"{_seconds(statistics.median(results.alone['1 worker']))} with 1 worker, "
         f"{_seconds(statistics.median(results.alone['all cores']))} with {builds.cores})",
         f"{alone_speedup:.2f}×", alone_speedup >= 1.6),
        ("— why not: with 1 worker, a cold build takes this much of the floor (no build takes less than "
         "the floor, MkDocs rendering on one core)", f"{one_worker_over_floor:.2f}×", None),
        ("— with 1 worker, the cold build against the examples and the pages one after the other (floor + "
         f"examples alone with 1 worker): all {builds.cores} cores at work", f"{overlap:.2f}× faster", None),
        ("Cold build (all cores) ≥ 10× faster than the naive way", f"{versus_naive:.1f}×", versus_naive >= 10),
    ]
    lines += ["", "| Target (issue 4) | Measured (median over rounds) | |", "| --- | --- | --- |"]
    lines += [f"| {target} | {measured} | {'' if met is None else _verdict(met)} |"
              for target, measured, met in targets]
    lines += ["", notes(results)]
    return "\n".join(lines) + "\n"


def notes(results: Measurements) -> str:
    return (
        "Median (range): of the whole `mkdocs build --strict`, process start to exit (fastest–slowest). "
        "× floor, and every measured target: the median over rounds of the ratio (or difference) between "
        "builds of the same round, which took turns, so that the machine's drifting load hits both alike. "
        "Blocks/s: the course's blocks ÷ the median (for the naive row also the sampled rate of blocks "
        "run). Blocks run: from the hook's summary line, checked block by block against the COURSE_REPORT "
        "(\"replayed\": unchanged blocks run again to rebuild their session's state). Executing (log): the "
        "hook's \"s executing\", the sum of the blocks' own run times — it does not shrink with more "
        "workers; examples phase (log): its \"s in all\", the wall time from handing the pages to the driver "
        "process to the last session's end, which does; MkDocs renders pages meanwhile, on the same cores. "
        "The one-block edit's session: right after each edit build, that page's session run alone from "
        "nothing (a warm parent started, the page's blocks run in one session); also shown, the run time "
        "of its blocks in the build (from the report). An edit reruns each session it touches from its start; a block counts as "
        "run when its code changed, it read a changed file itself, or its result changed, and as replayed "
        "when it ran again and showed the same result (hooks/courseware/execution.py). So the block edit "
        f"counts 1 block run, and the template edit the {ORDER_EVERY}th, {2 * ORDER_EVERY}th, ... block of "
        "every lesson, those that render the template. "
        "The naive row is not a measured build: it adds to the floor the course's blocks at the rate of a "
        "fixed sample spread evenly over the course, run one at a time.")

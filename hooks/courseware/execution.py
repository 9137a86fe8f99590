"""Run every page's blocks: one session per page, one more per `isolated` block.

Sessions whose blocks are all cached are not run at all; any other session
runs from its start (a block needs the state its predecessors built), and its
successful results are cached. Each block gets a report line saying what
happened to it and why: "cached" (not run), "ran" (its code changed, it read a
changed file itself, or its result changed), "replayed" (it ran again only for
its session's sake and showed the same result as before), or "failed".

Exercises are checked in the same batch: each check (exercises/checks.py) is a
few sessions of generated blocks, cached like the examples, whose results are
judged by the check instead of being shown.

Two halves, so that the build can render pages while examples run:

* `CourseExecution` works where the runner and the cache are: page after page,
  it scans the page, looks its blocks up and submits what must run; then it
  hands out each page's `PageRun` (results, reports, check outcomes, problems)
  in the same order, as soon as the page's sessions have ended.
* `CourseRun` is what the build sees: the pages' `PageRun`s put together, with
  `wait_page` and `wait_all` to read more of them as they are needed.

`run_course` does both in one process and waits for everything; the build does
the first half in the runner's driver process (runner/background.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import RunBlock, scan_page
from .cache import Lookup, ResultCache, result_digest
from .errors import AuthorError
from .exercises.checks import Check, page_checks
from .runner import BlockResult, Runner

# What happened to a block in this build.
RAN, CACHED, REPLAYED, FAILED = "ran", "cached", "replayed", "failed"


@dataclass(frozen=True)
class BlockReport:
    page: str
    line: int
    status: str
    reason: str
    seconds: float
    kind: str = "example"  # or "fill" / "exercise": a run that checks an exercise

    def as_dict(self) -> dict:
        return {"page": self.page, "line": self.line, "status": self.status, "reason": self.reason,
                "seconds": round(self.seconds, 4), "kind": self.kind}


@dataclass
class PageRun:
    """Everything one page's blocks and exercise checks gave."""

    page: str
    results: list[BlockResult] = field(default_factory=list)  # its examples', in page order
    reports: list[BlockReport] = field(default_factory=list)
    checks: dict[str, list[AuthorError]] = field(default_factory=dict)  # outcome key -> what its check found
    problems: list[AuthorError] = field(default_factory=list)  # found when the page was scanned
    finished: float = 0.0  # when its last session ended, or it was found in the cache (time.monotonic())
    notebook: str | None = None  # the lesson as a notebook (JSON), when the build asked the driver for it


class CourseRunEnded(RuntimeError):
    """The pages' results stopped coming before a page's had come."""


@dataclass
class CourseRun:
    """Results of all run blocks of the course, by page, and every problem found."""

    results: dict[str, list[BlockResult]] = field(default_factory=dict)
    problems: list[AuthorError] = field(default_factory=list)
    reports: list[BlockReport] = field(default_factory=list)
    # What each exercise check found, by page and outcome key (see exercises/checks.py).
    checks: dict[str, dict[str, list[AuthorError]]] = field(default_factory=dict)
    notebooks: dict[str, str] = field(default_factory=dict)  # lesson -> its notebook, made with its results
    started: float = field(default_factory=time.monotonic)
    finished: float = 0.0  # when the last page's results were complete (time.monotonic()'s clock)
    waiting: set[str] = field(default_factory=set)  # pages whose results are still to come
    _next: Callable[[], PageRun | None] | None = field(default=None, repr=False)

    @classmethod
    def expecting(cls, pages: list[str], pages_as_they_end: Iterator[PageRun]) -> CourseRun:
        """A run that reads `pages`' results from the iterator when they are waited for."""
        run = cls(waiting=set(pages))
        run._next = lambda: next(pages_as_they_end, None)
        return run

    def add(self, page_run: PageRun) -> None:
        self.waiting.discard(page_run.page)
        self.results[page_run.page] = page_run.results
        self.checks[page_run.page] = page_run.checks
        self.reports.extend(page_run.reports)
        self.problems.extend(page_run.problems)
        self.finished = max(self.finished, page_run.finished)
        if page_run.notebook is not None:
            self.notebooks[page_run.page] = page_run.notebook

    def wait_page(self, page: str) -> list[PageRun]:
        """Read results until the page's are in (pages come in order); returns those read."""
        read = []
        while page in self.waiting:
            page_run = self._next() if self._next else None
            if page_run is None:
                raise CourseRunEnded(f"the results of {page} never came")
            self.add(page_run)
            read.append(page_run)
        return read

    def wait_all(self) -> list[PageRun]:
        read = []
        while self.waiting:
            read.extend(self.wait_page(min(self.waiting)))
        self.reports.sort(key=lambda report: (report.page, report.line))
        return read

    @property
    def failures(self) -> list[AuthorError]:
        """Every problem: those found scanning the pages, then those found running them."""
        return self.problems + self.run_failures

    @property
    def run_failures(self) -> list[AuthorError]:
        failed = [result.error for results in self.results.values() for result in results if result.failed]
        checked = [error for outcomes in self.checks.values() for errors in outcomes.values() for error in errors]
        return failed + checked

    @property
    def pages_executed(self) -> set[str]:
        """Pages with a block that ran in this build (of those whose results are in)."""
        return {report.page for report in self.reports if report.status != CACHED}

    def count(self, status: str) -> int:
        return sum(report.status == status for report in self.reports)

    @property
    def seconds_executing(self) -> float:
        return sum(report.seconds for report in self.reports if report.status != CACHED)

    @property
    def seconds_in_all(self) -> float:
        """From the scan of the first page to the end of the last session."""
        return max(self.finished - self.started, 0.0)


@dataclass
class _Session:
    page: str
    position: str
    blocks: list[RunBlock]
    keys: list[str] = field(default_factory=list)
    lookups: list = field(default_factory=list)
    check: Check | None = None  # the exercise this session checks (None: the page's examples)
    results: list[BlockResult] = field(default_factory=list)
    pending: object | None = None  # the runner's handle while it runs (has .result())


def sessions_of(blocks: list[RunBlock]) -> list[list[RunBlock]]:
    """The page's shared session first, then each isolated block on its own."""
    shared = [block for block in blocks if not block.options.isolated]
    isolated = [[block] for block in blocks if block.options.isolated]
    return ([shared] if shared else []) + isolated


class CourseExecution:
    """Scan, look up and submit page after page; then hand out each page's PageRun in that order.

    `pages` maps each page's shown path (e.g. docs/lessons/x.md) to its source; `notebooks` maps
    each notebook page's path to its code cells as blocks (notebooks/source.py), run as one session.
    Notebook pages come first: the build needs them before it renders any page.
    """

    def __init__(self, runner: Runner, snippets_dir: Path, cache: ResultCache | None,
                 pages: dict[str, str], notebooks: dict[str, list[RunBlock]] | None = None):
        self.runner = runner
        self.snippets_dir = snippets_dir
        self.cache = cache
        self.pages = pages
        self.notebooks = notebooks or {}
        self.order = [*self.notebooks, *(page for page in pages if page not in self.notebooks)]
        self._planned: dict[str, tuple[list[_Session], PageRun]] = {}
        self._planning = threading.Condition()  # page_runs() may wait in another thread than start()
        self._planning_failed = False

    def start(self) -> None:
        try:
            for page in self.order:
                self._plan(page)
        except BaseException:
            with self._planning:
                self._planning_failed = True
                self._planning.notify_all()
            raise

    def page_runs(self) -> Iterator[PageRun]:
        """Each page's PageRun, in order, once its sessions have ended; then the cache's index is saved."""
        for index, page in enumerate(self.order):
            page_run = self._finish(page)
            if index == len(self.order) - 1 and self.cache is not None:
                self.cache.save_index()
            yield page_run

    def _plan(self, page: str) -> None:
        page_run = PageRun(page)
        sessions: list[_Session] = []
        if page in self.notebooks:
            if self.notebooks[page]:
                sessions.append(_Session(page, f"{page}#0", self.notebooks[page]))
        else:
            source = self.pages[page]
            blocks, problems = scan_page(source, page, self.snippets_dir)
            page_run.problems.extend(problems)
            for number, blocks_of_session in enumerate(sessions_of(blocks)):
                sessions.append(_Session(page, f"{page}#{number}", blocks_of_session))
            checks, problems = page_checks(source, page, self.snippets_dir)
            page_run.problems.extend(problems)
            for check in checks:
                for number, blocks_of_session in enumerate(check.sessions):
                    sessions.append(_Session(page, f"{page}#{check.name}#{number}", blocks_of_session,
                                             check=check))
        pending = [session for session in sessions if not self._found_in_cache(session, page_run)]
        if pending:
            for session, handle in zip(pending, self.runner.submit([session.blocks for session in pending])):
                session.pending = handle
        page_run.finished = time.monotonic()
        with self._planning:
            self._planned[page] = (sessions, page_run)
            self._planning.notify_all()

    def _found_in_cache(self, session: _Session, page_run: PageRun) -> bool:
        if self.cache is None:
            return False
        session.keys = self.cache.session_keys(session.blocks)
        session.lookups = [self.cache.lookup(key, block, f"{session.position}#{index}")
                           for index, (key, block) in enumerate(zip(session.keys, session.blocks))]
        if any(lookup.entry is None for lookup in session.lookups):
            return False
        session.results = [_from_cache(block, lookup.entry) for block, lookup in zip(session.blocks, session.lookups)]
        for block, lookup in zip(session.blocks, session.lookups):
            page_run.reports.append(BlockReport(session.page, block.line, CACHED, lookup.reason, 0.0,
                                                _kind(session)))
        return True

    def _finish(self, page: str) -> PageRun:
        with self._planning:
            while page not in self._planned:
                if self._planning_failed:
                    raise CourseRunEnded(f"{page} was not scanned: the scan of an earlier page failed")
                self._planning.wait()
            sessions, page_run = self._planned.pop(page)
        for session in sessions:
            if session.pending is not None:
                session.results = session.pending.result()
                session.pending = None
                page_run.reports.extend(_record(session, self.cache))
                page_run.finished = time.monotonic()
            if session.check is None:
                page_run.results.extend(session.results)
        page_run.checks = _judge_checks(sessions)
        page_run.results.sort(key=lambda result: result.block.line)
        page_run.reports.sort(key=lambda report: report.line)
        return page_run


def run_course(runner: Runner, pages: dict[str, str], snippets_dir: Path,
               cache: ResultCache | None = None, notebooks: dict[str, list[RunBlock]] | None = None) -> CourseRun:
    """Run (or find in the cache) every block of the course, in this process, and wait for all of them."""
    execution = CourseExecution(runner, snippets_dir, cache, pages, notebooks)
    run = CourseRun.expecting(execution.order, execution.page_runs())
    execution.start()
    run.wait_all()
    return run


def _record(session: _Session, cache: ResultCache | None) -> list[BlockReport]:
    """Report each block of a session that ran, and cache what succeeded."""
    reports = []
    reads: set[str] = set()
    for index, result in enumerate(session.results):
        reads.update(result.reads)
        lookup = session.lookups[index] if session.lookups else None
        if result.failed:
            status, reason = FAILED, result.error.message
        elif lookup is not None and lookup.entry is not None:
            status, reason = REPLAYED, "unchanged, ran to rebuild its session's state"
        elif lookup is not None and _same_result_as_before(lookup, result):
            status, reason = REPLAYED, f"ran again ({lookup.reason}), and its result is the same as before"
        else:
            status, reason = RAN, lookup.reason if lookup else "no cache"
        reports.append(BlockReport(session.page, result.block.line, status, reason, result.seconds, _kind(session)))
        if cache is not None and not result.failed:
            cache.store(session.keys[index], result.block, f"{session.position}#{index}",
                        result.cacheable_fields(), reads)
    return reports


def _same_result_as_before(lookup: Lookup, result: BlockResult) -> bool:
    """It ran only because of a change outside it (not a file it read itself), and showed the same.

    Such a block counts as unchanged: an edit counts only the blocks whose
    results changed, and a template edit the blocks that render the template.
    """
    if lookup.previous is None or set(lookup.changed_files) & set(result.reads):
        return False
    return result_digest(result.cacheable_fields()) == lookup.previous


def _kind(session: _Session) -> str:
    return "example" if session.check is None else session.check.kind


def _judge_checks(sessions: list[_Session]) -> dict[str, list[AuthorError]]:
    """Hand each check the results of its sessions, in the order it listed them."""
    by_check: dict[int, tuple[Check, list[list[BlockResult]]]] = {}
    for session in sessions:
        if session.check is not None:
            by_check.setdefault(id(session.check), (session.check, []))[1].append(session.results)
    outcomes: dict[str, list[AuthorError]] = {}
    for check, results in by_check.values():
        outcomes.setdefault(check.key, []).extend(check.judge(results))
    return outcomes


def _from_cache(block: RunBlock, entry: dict) -> BlockResult:
    return BlockResult(block, output=entry["output"], traceback=entry["traceback"],
                       exception_type=entry["exception_type"], seconds=entry["seconds"], emails=entry["emails"],
                       reads=tuple(entry["deps"]))

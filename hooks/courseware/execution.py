"""Run every page's blocks: one session per page, one more per `isolated` block.

Sessions whose blocks are all cached are not run at all; any other session
runs from its start (a block needs the state its predecessors built), and its
successful results are cached. Each block gets a report line saying what
happened to it and why.

Exercises are checked in the same batch: each check (exercises/checks.py) is a
few sessions of generated blocks, cached like the examples, whose results are
judged by the check instead of being shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .blocks import RunBlock, scan_page
from .cache import ResultCache
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
class CourseRun:
    """Results of all run blocks of the course, by page, and every problem found."""

    results: dict[str, list[BlockResult]] = field(default_factory=dict)
    problems: list[AuthorError] = field(default_factory=list)
    reports: list[BlockReport] = field(default_factory=list)
    # What each exercise check found, by page and outcome key (see exercises/checks.py).
    checks: dict[str, dict[str, list[AuthorError]]] = field(default_factory=dict)

    @property
    def failures(self) -> list[AuthorError]:
        failed = [result.error for results in self.results.values() for result in results if result.failed]
        checked = [error for outcomes in self.checks.values() for errors in outcomes.values() for error in errors]
        return self.problems + failed + checked

    @property
    def pages_executed(self) -> set[str]:
        return {report.page for report in self.reports if report.status != CACHED}

    def count(self, status: str) -> int:
        return sum(report.status == status for report in self.reports)

    @property
    def seconds_executing(self) -> float:
        return sum(report.seconds for report in self.reports if report.status != CACHED)


@dataclass
class _Session:
    page: str
    position: str
    blocks: list[RunBlock]
    keys: list[str] = field(default_factory=list)
    lookups: list = field(default_factory=list)
    check: Check | None = None  # the exercise this session checks (None: the page's examples)
    results: list[BlockResult] = field(default_factory=list)


def sessions_of(blocks: list[RunBlock]) -> list[list[RunBlock]]:
    """The page's shared session first, then each isolated block on its own."""
    shared = [block for block in blocks if not block.options.isolated]
    isolated = [[block] for block in blocks if block.options.isolated]
    return ([shared] if shared else []) + isolated


def run_course(runner: Runner, pages: dict[str, str], snippets_dir: Path,
               cache: ResultCache | None = None, notebooks: dict[str, list[RunBlock]] | None = None) -> CourseRun:
    """`pages` maps each page's shown path (e.g. docs/lessons/x.md) to its source; `notebooks` maps
    each notebook page's path to its code cells as blocks (notebooks/source.py), run as one session."""
    run = CourseRun()
    sessions: list[_Session] = []
    for page, source in pages.items():
        blocks, problems = scan_page(source, page, snippets_dir)
        run.problems.extend(problems)
        run.results[page] = []
        for number, blocks_of_session in enumerate(sessions_of(blocks)):
            sessions.append(_Session(page, f"{page}#{number}", blocks_of_session))
        checks, problems = page_checks(source, page, snippets_dir)
        run.problems.extend(problems)
        run.checks[page] = {}
        for check in checks:
            for number, blocks_of_session in enumerate(check.sessions):
                sessions.append(_Session(page, f"{page}#{check.name}#{number}", blocks_of_session, check=check))
    for page, blocks in (notebooks or {}).items():
        run.results[page] = []
        if blocks:
            sessions.append(_Session(page, f"{page}#0", blocks))

    pending = []
    for session in sessions:
        if cache is None:
            pending.append(session)
            continue
        session.keys = cache.session_keys(session.blocks)
        session.lookups = [cache.lookup(key, block, f"{session.position}#{index}")
                           for index, (key, block) in enumerate(zip(session.keys, session.blocks))]
        if all(lookup.entry is not None for lookup in session.lookups):
            session.results = [_from_cache(block, lookup.entry)
                               for block, lookup in zip(session.blocks, session.lookups)]
            for block, lookup in zip(session.blocks, session.lookups):
                run.reports.append(BlockReport(session.page, block.line, CACHED, lookup.reason, 0.0,
                                               _kind(session)))
        else:
            pending.append(session)

    if pending:
        outcomes = runner.run_sessions([session.blocks for session in pending])
        for session, results in zip(pending, outcomes):
            session.results = results
            _record(run, session, results, cache)
    if cache is not None:
        cache.save_index()
    for session in sessions:
        if session.check is None:
            run.results[session.page].extend(session.results)
    _judge_checks(run, sessions)
    for results in run.results.values():
        results.sort(key=lambda result: result.block.line)
    run.reports.sort(key=lambda report: (report.page, report.line))
    return run


def _record(run: CourseRun, session: _Session, results: list[BlockResult], cache: ResultCache | None) -> None:
    """Report each block of a session that ran, and cache what succeeded."""
    reads: set[str] = set()
    for index, result in enumerate(results):
        reads.update(result.reads)
        lookup = session.lookups[index] if session.lookups else None
        if result.failed:
            status, reason = FAILED, result.error.message
        elif lookup is not None and lookup.entry is not None:
            status, reason = REPLAYED, "unchanged, ran to rebuild its session's state"
        else:
            status, reason = RAN, lookup.reason if lookup else "no cache"
        run.reports.append(BlockReport(session.page, result.block.line, status, reason, result.seconds,
                                       _kind(session)))
        if cache is not None and not result.failed:
            cache.store(session.keys[index], result.block, f"{session.position}#{index}",
                        result.cacheable_fields(), reads)


def _kind(session: _Session) -> str:
    return "example" if session.check is None else session.check.kind


def _judge_checks(run: CourseRun, sessions: list[_Session]) -> None:
    """Hand each check the results of its sessions, in the order it listed them."""
    by_check: dict[int, tuple[Check, list[list[BlockResult]]]] = {}
    for session in sessions:
        if session.check is not None:
            by_check.setdefault(id(session.check), (session.check, []))[1].append(session.results)
    for check, results in by_check.values():
        errors = check.judge(results)
        run.checks[check.page].setdefault(check.key, []).extend(errors)


def _from_cache(block: RunBlock, entry: dict) -> BlockResult:
    return BlockResult(block, output=entry["output"], traceback=entry["traceback"],
                       exception_type=entry["exception_type"], seconds=entry["seconds"], emails=entry["emails"],
                       reads=tuple(entry["deps"]))

"""Run every page's blocks: one session per page, one more per `isolated` block."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .blocks import RunBlock, scan_page
from .errors import AuthorError
from .runner import BlockResult, Runner


@dataclass
class CourseRun:
    """Results of all run blocks of the course, by page, and every problem found."""

    results: dict[str, list[BlockResult]] = field(default_factory=dict)
    problems: list[AuthorError] = field(default_factory=list)

    @property
    def block_count(self) -> int:
        return sum(len(results) for results in self.results.values())

    @property
    def failures(self) -> list[AuthorError]:
        failed = [result.error for results in self.results.values() for result in results if result.failed]
        return self.problems + failed


def sessions_of(blocks: list[RunBlock]) -> list[list[RunBlock]]:
    """The page's shared session first, then each isolated block on its own."""
    shared = [block for block in blocks if not block.options.isolated]
    isolated = [[block] for block in blocks if block.options.isolated]
    return ([shared] if shared else []) + isolated


def run_course(runner: Runner, pages: dict[str, str], snippets_dir: Path) -> CourseRun:
    """`pages` maps each page's shown path (e.g. docs/lessons/x.md) to its source."""
    run = CourseRun()
    planned: list[tuple[str, list[RunBlock]]] = []
    for page, source in pages.items():
        blocks, problems = scan_page(source, page, snippets_dir)
        run.problems.extend(problems)
        run.results[page] = []
        planned.extend((page, session) for session in sessions_of(blocks))
    if planned:
        outcomes = runner.run_sessions([session for _, session in planned])
        for (page, _), results in zip(planned, outcomes):
            run.results[page].extend(results)
    for results in run.results.values():
        results.sort(key=lambda result: result.block.line)
    return run

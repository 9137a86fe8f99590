"""The one exception the quiz raises at build time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a page's quiz: where (a 1-based line, when known) and what."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"

    def at(self, page_path: str, line_offset: int = 0) -> str:
        if self.line is None:
            return f"{page_path}: {self.message}"
        return f"{page_path}:{self.line + line_offset}: {self.message}"


class QuizError(Exception):
    """A quiz block that would not render the way its author meant.

    `problems` lists every problem found on the page; `str()` gives one per line,
    each starting with `line N:` when the line is known; `where(page_path)` gives
    them as `page_path:N: ...`, the form authors' editors can jump to.
    """

    def __init__(self, problems: list[Problem] | str, line: int | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(line, problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @property
    def line(self) -> int | None:
        return self.problems[0].line if self.problems else None

    def where(self, page_path: str, line_offset: int = 0) -> str:
        """`page_path:N: ...` per problem; `line_offset` counts lines cut off before Markdown saw the page."""
        return "\n".join(problem.at(page_path, line_offset) for problem in self.problems)

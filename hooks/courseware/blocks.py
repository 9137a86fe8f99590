"""Find the ```python run``` blocks of a Markdown page, with their options and lines.

The page is scanned before Markdown renders it, so that every block of a
session is known (and can run) before the first one is shown, and so that each
block carries the line of the page it starts on. Fences nested in a longer
fence (a lesson showing the syntax) are text, exactly as SuperFences sees them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AuthorError

DEFAULT_TIMEOUT = 5.0
MAX_TIMEOUT = 60.0

# The same key / key="value" grammar SuperFences uses for fence headers.
_OPTION = re.compile(r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quote>"|')(?P<value>.*?)(?P=quote))?""")
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w#.+-]*)(?P<rest>.*)$")
_INCLUDE = re.compile(r"""^(?P<indent>[ \t]*)-{1,}8<-{1,}[ \t]+(?P<quote>["'])(?P<target>.+?)(?P=quote)[ \t]*$""")
_INCLUDE_RANGE = re.compile(r"^(?P<path>.+?)(?::(?P<start>\d*)(?::(?P<end>\d*))?)?$")

# Options SuperFences itself understands for highlighting; passed through untouched.
HIGHLIGHT_OPTIONS = frozenset({"title", "hl_lines", "linenums"})
WARNING_MODES = ("error", "show")


@dataclass(frozen=True)
class RunOptions:
    """What the fence header asks of a run block."""

    isolated: bool = False
    raises: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    warnings: str = "error"

    def as_dict(self) -> dict:
        return {"isolated": self.isolated, "raises": self.raises, "timeout": self.timeout, "warnings": self.warnings}


@dataclass(frozen=True)
class SourceLine:
    """Where one line of a block's code was written (the page, or an included file)."""

    path: str
    line: int


@dataclass(frozen=True)
class RunBlock:
    """One runnable block: its code after includes, and where each line came from."""

    page: str
    line: int
    code: str
    options: RunOptions
    origins: tuple[SourceLine, ...] = field(repr=False)
    includes: tuple[str, ...] = ()

    def origin(self, code_line: int) -> SourceLine:
        """The page or file line behind line `code_line` (1-based) of the code."""
        if 1 <= code_line <= len(self.origins):
            return self.origins[code_line - 1]
        return SourceLine(self.page, self.line)


def parse_fence_options(header: str) -> dict[str, str]:
    """Split a fence header's options into a dict (flags map to their own name)."""
    options: dict[str, str] = {}
    for match in _OPTION.finditer(header):
        key, value = match.group("key"), match.group("value")
        options[key] = key if value is None else value
    return options


def run_options(raw: dict[str, str], path: str, line: int) -> RunOptions:
    """Validate a run fence's options; a typo is an error, never ignored."""
    known = {"run", "isolated", "raises", "timeout", "warnings"} | HIGHLIGHT_OPTIONS
    unknown = sorted(set(raw) - known)
    if unknown:
        raise AuthorError(
            path, line, f"unknown option {', '.join(map(repr, unknown))} on a `python run` block",
            'the options are: isolated, raises="ExceptionName", timeout="SECONDS", warnings="show", '
            "and SuperFences' title/hl_lines/linenums",
        )
    raises = raw.get("raises")
    if raises is not None and not re.fullmatch(r"[A-Za-z_][\w.]*", raises):
        raise AuthorError(path, line, f"raises={raises!r} is not an exception name",
                          'write the class name, e.g. raises="TypeError"')
    timeout = DEFAULT_TIMEOUT
    if "timeout" in raw:
        try:
            timeout = float(raw["timeout"])
        except ValueError:
            timeout = -1.0
        if not 0 < timeout <= MAX_TIMEOUT:
            raise AuthorError(path, line, f"timeout={raw['timeout']!r} is not a number of seconds",
                              f"use a number between 0 and {MAX_TIMEOUT:g}, e.g. timeout=\"10\"")
    warnings = raw.get("warnings", "error")
    if warnings not in WARNING_MODES:
        raise AuthorError(path, line, f"warnings={warnings!r} is not understood",
                          'leave it out (deprecation warnings fail the build) or write warnings="show"')
    if raw.get("isolated", "isolated") != "isolated":
        raise AuthorError(path, line, "`isolated` takes no value", "write just `isolated`")
    return RunOptions(isolated="isolated" in raw, raises=raises, timeout=timeout, warnings=warnings)


def is_run_fence(lang: str, options: dict[str, str]) -> bool:
    return lang == "python" and "run" in options


@dataclass(frozen=True)
class Fence:
    """A top-level fenced code block of a page, as SuperFences will see it."""

    line: int                                # the opening line (1-based)
    lang: str
    header: str                              # what follows the language on the opening line
    fence: str                               # the opening fence itself, e.g. ```
    lines: tuple[tuple[int, str], ...]       # (page line, text) between the fences, dedented
    closed: bool

    @property
    def body(self) -> str:
        return "\n".join(text for _, text in self.lines) + "\n"


def fences(text: str) -> Iterator[Fence]:
    """The top-level fenced code blocks of a page, in order; fences inside them are text."""
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        opening = _FENCE_OPEN.match(lines[number])
        number += 1
        if not opening:
            continue
        start = number
        indent, fence = opening.group("indent"), opening.group("fence")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body: list[tuple[int, str]] = []
        while number < len(lines) and not closing.match(lines[number]):
            body.append((number + 1, _dedent(lines[number], indent)))
            number += 1
        closed = number < len(lines)
        number += 1
        yield Fence(start, opening.group("lang"), opening.group("rest"), fence, tuple(body), closed)


def selected_fences(text: str, page: str, wanted, name: str,
                    errors: list[AuthorError]) -> Iterator[tuple[Fence, dict[str, str]]]:
    """The fences `wanted(lang, options)` selects, with their options; an unclosed one is an error."""
    for fence in fences(text):
        raw = parse_fence_options(fence.header)
        if not wanted(fence.lang, raw):
            continue
        if not fence.closed:
            errors.append(AuthorError(page, fence.line, f"this `{name}` block is never closed",
                                      f"end it with a line of {fence.fence}"))
            continue
        yield fence, raw


def scan_page(text: str, page: str, snippets_dir: Path) -> tuple[list[RunBlock], list[AuthorError]]:
    """All run blocks of a page in order, and every error found on the way.

    `text` is the whole source file (front matter included) so that line
    numbers are the ones an editor shows; `page` is how errors name the file.
    """
    blocks: list[RunBlock] = []
    errors: list[AuthorError] = []
    for fence, raw in selected_fences(text, page, is_run_fence, "python run", errors):
        try:
            options = run_options(raw, page, fence.line)
            code, origins, includes = _expand_includes(list(fence.lines), page, snippets_dir)
        except AuthorError as error:
            errors.append(error)
            continue
        blocks.append(RunBlock(page, fence.line, code, options, origins, includes))
    return blocks, errors


def _dedent(line: str, indent: str) -> str:
    return line[len(indent):] if line.startswith(indent) else line.lstrip(" \t")


def _expand_includes(body: list[tuple[int, str]], page: str, snippets_dir: Path):
    """Replace `--8<-- "file"` lines by the file's lines, as pymdownx.snippets does."""
    code: list[str] = []
    origins: list[SourceLine] = []
    includes: list[str] = []
    for page_line, text in body:
        include = _INCLUDE.match(text)
        if not include:
            code.append(text)
            origins.append(SourceLine(page, page_line))
            continue
        target = _INCLUDE_RANGE.match(include.group("target"))
        relative = target.group("path")
        path = (snippets_dir / relative).resolve()
        if not path.is_relative_to(snippets_dir.resolve()) or not path.is_file():
            raise AuthorError(page, page_line, f"the included file {relative!r} is not in snippets/",
                              f"create snippets/{relative} or correct the path (it is relative to snippets/)")
        file_lines = path.read_text(encoding="utf-8").split("\n")
        if file_lines and file_lines[-1] == "":
            file_lines.pop()
        start = int(target.group("start") or 1)
        end = int(target.group("end") or len(file_lines))
        shown = f"snippets/{relative}"
        for offset, included in enumerate(file_lines[start - 1:end], start=start):
            code.append(include.group("indent") + included if included else included)
            origins.append(SourceLine(shown, offset))
        includes.append(relative)
    while code and not code[-1].strip():
        code.pop()
        origins.pop()
    return "\n".join(code) + "\n", tuple(origins), tuple(includes)

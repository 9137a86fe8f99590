"""Find the exercises of a Markdown page: ```python fill``` fences and `/// exercise` blocks.

Like blocks.py for run blocks, the page is scanned before Markdown renders it,
so that every exercise can be checked (run) with the rest of the course, and
so that errors carry the line an editor shows. Anything inside another fence
(a page showing the syntax) is text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..blocks import fences, selected_fences
from ..errors import AuthorError
from .fill import FillExercise, fill_options, is_fill_fence, parse_fill
from .function import FunctionExercise, load_exercise

# The header pymdownx.blocks recognises, for our block name only.
EXERCISE_HEADER = re.compile(r"^(?P<indent>[ \t]*)(?P<slashes>/{3,})[ \t]*exercise(?![\w-])[ \t]*"
                             r"(?:\|[ \t]*(?P<title>.*?))?[ \t]*$")
EXERCISE_OPTIONS = ("src",)
HOW_TO_WRITE = ("write it as\n        /// exercise | Title\n            src: exercises/name.py\n\n"
                "        The task, in Markdown.\n        ///")


@dataclass(frozen=True)
class ExerciseBlock:
    """A `/// exercise` block of a page and the file it points at."""

    page: str
    line: int
    title: str
    src: str
    exercise: FunctionExercise


def _outside_fences(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line that is not inside a fenced code block."""
    inside = {line for fence in fences(text) for line in range(fence.line, fence.line + fence.body.count("\n") + 2)}
    for number, line in enumerate(text.split("\n"), start=1):
        if number not in inside:
            yield number, line


def scan_fills(text: str, page: str) -> tuple[list[FillExercise], list[AuthorError]]:
    found, problems = [], []
    for fence, raw in selected_fences(text, page, is_fill_fence, "python fill", problems):
        try:
            found.append(parse_fill(fence.body, page, fence.line, fill_options(raw, page, fence.line)))
        except AuthorError as error:
            problems.append(error)
    return found, problems


def exercise_headers(text: str) -> list[tuple[int, str]]:
    """(line, title) of every `/// exercise` header of a page, outside code."""
    return [(number, (found.group("title") or "").strip()) for number, line in _outside_fences(text)
            if (found := EXERCISE_HEADER.match(line))]


def scan_exercises(text: str, page: str, snippets_dir: Path) -> tuple[list[ExerciseBlock], list[AuthorError]]:
    found, problems = [], []
    lines = text.split("\n")
    for line, title in exercise_headers(text):
        try:
            options = _options(lines, line, page)
            if not title:
                raise AuthorError(page, line, "an exercise needs a title", HOW_TO_WRITE)
            src = options.get("src")
            if not isinstance(src, str) or not src.strip():
                raise AuthorError(page, line, f"the exercise '{title}' has no `src:` option naming its file",
                                  HOW_TO_WRITE)
            found.append(ExerciseBlock(page, line, title, src.strip(), load_exercise(src.strip(), snippets_dir)))
        except AuthorError as error:
            problems.append(error)
    return found, problems


def _options(lines: list[str], header_line: int, page: str) -> dict:
    """The YAML options indented under a block header (as pymdownx.blocks reads them)."""
    header_indent = len(lines[header_line - 1]) - len(lines[header_line - 1].lstrip(" "))
    option_lines = []
    for text in lines[header_line:]:
        if len(text) - len(text.lstrip(" ")) < header_indent + 4 or not text.strip():
            break
        option_lines.append(text[header_indent:])
    if not option_lines:
        return {}
    try:
        options = yaml.safe_load("\n".join(line[4:] for line in option_lines))
    except yaml.YAMLError as error:
        raise AuthorError(page, header_line + 1, f"the exercise's options are not valid YAML: {error}",
                          "write each option as `key: value`, indented by four spaces") from None
    if not isinstance(options, dict):
        raise AuthorError(page, header_line + 1, "the exercise's options are not `key: value` lines",
                          "write each option as `key: value`, indented by four spaces")
    unknown = sorted(str(key) for key in options if key not in EXERCISE_OPTIONS)
    if unknown:
        raise AuthorError(page, header_line + 1, f"unknown option {', '.join(map(repr, unknown))} on an exercise",
                          "the only option is `src:` (the exercise file, relative to snippets/)")
    return options

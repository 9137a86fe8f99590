"""Page-level checks on the Markdown source, with line numbers.

pymdownx.blocks falls back silently: a block whose name, title or options it
rejects is printed as a paragraph starting with `///`. This module reads the
`///` lines of a page the way pymdownx does (outside fenced code) and says,
with `page:line`, what it would do wrong.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import yaml

from .errors import Problem
from .identity import ID_PATTERN, question_id

QUESTION = "question"
QUESTION_OPTIONS = ("id", "shuffle", "attrs")

# The blocks that pymdown-extensions 13.1 ships, with the default admonition types,
# plus ours: the names `check_page` knows typos of when it is not told the page's blocks.
DEFAULT_BLOCK_NAMES = frozenset({
    QUESTION, "admonition", "details", "tab", "html", "define", "caption",
    "figure-caption", "table-caption",
    "note", "attention", "caution", "danger", "error", "tip", "hint", "warning", "important",
})

_FENCE = re.compile(r"^[ \t>]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_SLASHES = re.compile(r"^[ \t>]*/{3,}")
_START = re.compile(r"^(?P<indent>[ \t>]*)(?P<slashes>/{3,})[ ]*(?P<name>[\w-]+)[ ]*(?:\|[ ]*(?P<title>.*?)[ ]*)?$")
_END = re.compile(r"^[ \t>]*(?P<slashes>/{3,})[ ]*$")


@dataclass
class BlockStart:
    line: int
    slashes: int
    name: str
    title: str
    indent: int
    option_lines: list[tuple[int, str]] = field(default_factory=list)
    rejected: bool = False          # pymdownx prints it (and its closing line) as text


@dataclass
class BlockEnd:
    line: int
    slashes: int


@dataclass
class BadLine:
    line: int
    text: str


def block_lines(source: str) -> Iterator[BlockStart | BlockEnd | BadLine]:
    """Every `///` line outside fenced code, as pymdownx.blocks would read it."""
    lines = source.splitlines()
    fence: str | None = None
    index = 0
    while index < len(lines):
        text = lines[index]
        number = index + 1
        index += 1
        match = _FENCE.match(text)
        if fence is not None:
            if match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence) \
                    and not match["info"].strip():
                fence = None
            continue
        if match and not (match["fence"][0] == "`" and "`" in match["info"]):
            fence = match["fence"]
            continue
        if not _SLASHES.match(text):
            continue
        if end := _END.match(text):
            yield BlockEnd(number, len(end["slashes"]))
        elif start := _START.match(text):
            block = BlockStart(number, len(start["slashes"]), start["name"].lower(), start["title"] or "",
                               len(start["indent"].expandtabs(4)))
            # Options: the lines right under the header indented by four more spaces.
            while index < len(lines) and lines[index].strip() and \
                    len(lines[index]) - len(lines[index].lstrip(" ")) >= block.indent + 4:
                block.option_lines.append((index + 1, lines[index]))
                index += 1
            yield block
        else:
            yield BadLine(number, text.strip())


def question_lines(source: str) -> list[tuple[int, str]]:
    """(line, title) of every `/// question` header, in page order."""
    return [(item.line, item.title) for item in block_lines(source)
            if isinstance(item, BlockStart) and item.name == QUESTION]


def check_page(markdown_source: str, page_path: str, *, known_blocks: Iterable[str] | None = None,
               line_offset: int = 0) -> list[str]:
    """Author-facing messages (`page_path:line: ...`) for quiz and block syntax problems of one page.

    `known_blocks`: the names of every block the page's Markdown has; a
    `/// name` with any other name is reported. Without it, only names that
    look like typos of pymdownx's or ours are (`/// qestion`, `/// notte`):
    the conversion itself, which knows every registered block, catches the
    rest. `line_offset` is added to every line number (for a page whose front
    matter was cut off before it reached us).
    """
    return [problem.at(page_path, line_offset) for problem in find_problems(markdown_source, known_blocks)]


def find_problems(markdown_source: str, known_blocks: Iterable[str] | None = None) -> list[Problem]:
    """The problems `check_page` reports, with lines counted in `markdown_source`."""
    return scan_blocks(markdown_source, known_blocks)[0]


def scan_blocks(markdown_source: str,
                known_blocks: Iterable[str] | None = None) -> tuple[list[Problem], dict[int, int]]:
    """The page's block problems, and {closing line: header line} of the blocks pymdownx rejects.

    The closing line of a rejected block is printed as text too, but needs no
    message of its own: its header has one.
    """
    strict = known_blocks is not None
    known = (frozenset(known_blocks) if strict else DEFAULT_BLOCK_NAMES) | {QUESTION}
    problems: list[Problem] = []
    echoes: dict[int, int] = {}
    open_blocks: list[BlockStart] = []
    ids: dict[str, BlockStart] = {}

    for item in block_lines(markdown_source):
        if isinstance(item, BadLine):
            problems.append(Problem(item.line, (
                f"'{item.text}' is not a block header pymdownx understands, so it would be printed as text. "
                "Write '/// name | title' to open a block and '///' alone to close it."
            )))
        elif isinstance(item, BlockEnd):
            if open_blocks and open_blocks[-1].slashes == item.slashes:
                closed = open_blocks.pop()
                if closed.rejected:
                    echoes[item.line] = closed.line
            elif any(block.slashes == item.slashes for block in open_blocks):
                inner = open_blocks[-1]
                problems.append(Problem(item.line, (
                    f"this '{'/' * item.slashes}' would close an outer block, but '/// {inner.name}' "
                    f"(line {inner.line}) is still open; close it first with '{'/' * inner.slashes}'"
                )))
            else:
                problems.append(Problem(item.line, (
                    f"'{'/' * item.slashes}' closes no open block, so it would be printed as text; "
                    "remove it, or check the header of the block it should close"
                )))
        else:
            open_blocks.append(item)
            if item.name not in known and (strict or _close_name(item.name, known)):
                problems.append(Problem(item.line, _unknown_block(item.name, known)))
                item.rejected = True
            elif item.name == QUESTION:
                problems.extend(_check_question_header(item, ids))

    for block in open_blocks:
        if block.name == QUESTION:
            problems.append(Problem(block.line, (
                f"question '{block.title}' is never closed: add a line '{'/' * block.slashes}' after its explanation"
            )))

    return problems, echoes


def _close_name(name: str, known: frozenset[str]) -> str | None:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return close[0] if close else None


def _unknown_block(name: str, known: frozenset[str]) -> str:
    message = f"'/// {name}' is not a known block, so pymdownx would print it as text"
    close = _close_name(name, known)
    return message + (f"; did you mean '/// {close}'?" if close else f". Known blocks: {', '.join(sorted(known))}")


def _check_question_header(block: BlockStart, ids: dict[str, BlockStart]) -> list[Problem]:
    problems = []
    label = f"question '{block.title}'" if block.title else "question"
    if not block.title.strip():
        problems.append(Problem(block.line, (
            "a question needs its text as the block title: '/// question | What does send_mail() return?'"
        )))
    options: dict = {}
    if block.option_lines:
        raw = "\n".join(text for _, text in block.option_lines)
        try:
            options = yaml.safe_load(_dedent(raw))
        except yaml.YAMLError as error:
            problems.append(Problem(block.option_lines[0][0], (
                f"{label}: its options are not valid YAML ({_first_line(error)}); write one 'name: value' per "
                "line, indented by four spaces"
            )))
            options = {}
            block.rejected = True
        if not isinstance(options, dict):
            problems.append(Problem(block.option_lines[0][0], (
                f"{label}: options must be 'name: value' lines indented by four spaces under the header"
            )))
            options = {}
            block.rejected = True
    for name, value in options.items():
        number = next((n for n, text in block.option_lines if text.strip().startswith(f"{name}:")), block.line)
        problems.extend(Problem(number, message) for message in option_problems(label, str(name), value))

    explicit = options.get("id")
    qid = explicit if isinstance(explicit, str) and ID_PATTERN.fullmatch(explicit) else question_id(block.title)
    if qid in ids:
        first = ids[qid]
        problems.append(Problem(block.line, (
            f"{label} has the id '{qid}', like the question at line {first.line}; ids must be unique on a "
            "page (saved answers are keyed by them): give one of them another 'id:' option"
        )))
    else:
        ids[qid] = block
    return problems


def option_problems(label: str, name: str, value: object) -> list[str]:
    """What is wrong with one option of a question block (shared with the block itself)."""
    if name not in QUESTION_OPTIONS:
        close = difflib.get_close_matches(name, QUESTION_OPTIONS[:2], n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return [f"{label}: unknown option '{name}'; {hint}A question takes 'id:' and 'shuffle:'"]
    if name == "id" and not (isinstance(value, str) and ID_PATTERN.fullmatch(value)):
        return [f"{label}: 'id: {value}' is not a usable id; use letters, digits, '-' and '_', "
                "starting with a letter (e.g. 'id: send-mail-returns')"]
    if name == "shuffle" and not isinstance(value, bool):
        return [f"{label}: 'shuffle: {value}' must be true or false"]
    return []


def _dedent(text: str) -> str:
    width = min(len(line) - len(line.lstrip(" ")) for line in text.splitlines() if line.strip())
    return "\n".join(line[width:] for line in text.splitlines())


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]

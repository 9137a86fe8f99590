"""Fill-in-the-blank code: ```python fill``` blocks with blanks written `{~answer|alternative~}`.

    ```python fill
    sent = {~send_mass_mail~}(datatuple)
    assert sent == {~2|len(datatuple)~}
    ```

A blank holds one or more accepted answers separated by `|` (surrounding
white space is not part of an answer). A blank sits on one line. The build
runs the code once with the first answer of every blank, and once more for
each other accepted answer (the other blanks keep their first answer): every
run must finish without error, so authors put the check in the code, for
example as an `assert`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..blocks import HIGHLIGHT_OPTIONS, RunOptions, run_options
from ..errors import AuthorError

BLANK = re.compile(r"\{~(?P<answers>.*?)~\}")
_INCLUDE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]""")
# Options of a fill block: the marker, SuperFences' highlighting, and two of the run options.
RUN_OPTIONS = frozenset({"timeout", "warnings"})
FILL_OPTIONS = frozenset({"fill"}) | HIGHLIGHT_OPTIONS | RUN_OPTIONS
HOW_TO_WRITE = "write each blank as {~answer~}, or {~answer|another accepted answer~}"


@dataclass(frozen=True)
class Blank:
    number: int            # 1-based, in reading order
    line: int              # the line of the page it is on
    code_line: int         # its line in the code (1-based)
    start: int             # where `{~` starts in that code line
    end: int               # just after `~}`
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """The code with one choice of answers, as it is run at build time."""

    code: str
    blank: Blank | None    # the blank whose other answer this run tries (None: every first answer)
    answer: str | None


@dataclass(frozen=True)
class FillExercise:
    page: str
    line: int              # the fence's opening line
    source: str            # the code as written, with the blanks
    blanks: tuple[Blank, ...]
    options: RunOptions

    def completed(self, choice: dict[int, str] | None = None) -> str:
        """The code with every blank filled: its first answer, or `choice[number]`."""
        choice = choice or {}
        lines = self.source.split("\n")
        by_line: dict[int, list[Blank]] = {}
        for blank in self.blanks:
            by_line.setdefault(blank.code_line, []).append(blank)
        for code_line, blanks in by_line.items():
            text = lines[code_line - 1]
            for blank in sorted(blanks, key=lambda b: b.start, reverse=True):
                text = text[:blank.start] + choice.get(blank.number, blank.answers[0]) + text[blank.end:]
            lines[code_line - 1] = text
        return "\n".join(lines)

    def variants(self) -> list[Variant]:
        """The first answers together, then each other accepted answer on its own."""
        runs = [Variant(self.completed(), None, None)]
        for blank in self.blanks:
            for answer in blank.answers[1:]:
                runs.append(Variant(self.completed({blank.number: answer}), blank, answer))
        return runs

    def blanks_on_line(self, code_line: int) -> list[Blank]:
        return [blank for blank in self.blanks if blank.code_line == code_line]


def is_fill_fence(lang: str, options: dict[str, str]) -> bool:
    return lang == "python" and "fill" in options


def fill_options(raw: dict[str, str], page: str, line: int) -> RunOptions:
    """Validate a fill fence's options; a typo is an error, never ignored."""
    unknown = sorted(set(raw) - FILL_OPTIONS)
    if unknown:
        raise AuthorError(
            page, line, f"unknown option {', '.join(map(repr, unknown))} on a `python fill` block",
            'the options are: timeout="SECONDS", warnings="show", and SuperFences\' title/hl_lines/linenums',
        )
    options = run_options({key: value for key, value in raw.items() if key in RUN_OPTIONS}, page, line)
    return RunOptions(isolated=True, timeout=options.timeout, warnings=options.warnings)


def parse_fill(code: str, page: str, line: int, options: RunOptions | None = None) -> FillExercise:
    """The blanks of a fill block whose fence opens on `line` of `page`.

    Raises AuthorError naming the line and the blank for the first problem found.
    """
    code = code.rstrip("\n")
    blanks: list[Blank] = []
    lines = code.split("\n")
    for index, text in enumerate(lines, start=1):
        page_line = line + index
        if _INCLUDE.match(text):
            raise AuthorError(page, page_line, "a `python fill` block cannot include a file with --8<--",
                              "write the code of the exercise in the block itself")
        for found in BLANK.finditer(text):
            number = len(blanks) + 1
            answers = tuple(answer.strip() for answer in found.group("answers").split("|"))
            if not any(answers):
                raise AuthorError(page, page_line, f"blank {number} has no answer: {found.group(0)}", HOW_TO_WRITE)
            if not all(answers):
                raise AuthorError(page, page_line,
                                  f"blank {number} has an empty alternative: {found.group(0)}",
                                  "remove the extra | (every answer between | must be written out)")
            if len(set(answers)) != len(answers):
                raise AuthorError(page, page_line, f"blank {number} lists the same answer twice: {found.group(0)}",
                                  "list each accepted answer once")
            blanks.append(Blank(number, page_line, index, found.start(), found.end(), answers))
        rest = BLANK.sub("", text)
        if "{~" in rest:
            raise AuthorError(page, page_line, "a blank is opened with {~ but not closed with ~} on the same line",
                              HOW_TO_WRITE + "; a blank cannot span lines")
        if "~}" in rest:
            raise AuthorError(page, page_line, "a ~} on this line closes no blank", HOW_TO_WRITE)
    if not blanks:
        raise AuthorError(page, line, "this `python fill` block has no blank",
                          HOW_TO_WRITE + ", or use a plain ```python fence")
    return FillExercise(page, line, code, tuple(blanks), options or RunOptions(isolated=True))

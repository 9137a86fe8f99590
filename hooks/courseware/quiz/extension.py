"""The `/// question` block for pymdownx.blocks, and the page pass that groups questions into quizzes.

Nothing here fails silently. pymdownx.blocks prints a block it rejects as a
plain `///` paragraph and never calls `on_end` for a block that is not closed;
both are caught here and raised as QuizError, with every problem of the page
in one error.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block, type_any

from .errors import Problem, QuizError
from .identity import question_id
from .parse import parse_question
from .render import render_question, wrap_quiz
from .source import QUESTION, option_problems, question_lines, scan_blocks

_PENDING = "data-quiz-pending"
QUESTION_CLASS = "quiz-question"
_SKIP = {"pre", "code", "script", "style", "textarea"}


class _PageState:
    """What one conversion learns about its page (reset at the start of every conversion)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.suspects: dict[int, str] = {}         # line -> what check_page says is wrong with it
        self.headers: list[tuple[int, str]] = []   # (line, title) of each `/// question`, in order
        self.next_header = 0                       # index into headers of the next question block
        self.problems: list[Problem] = []


def _state(md: Markdown) -> _PageState:
    state = getattr(md, "_quiz_state", None)
    if state is None:
        state = md._quiz_state = _PageState()
    return state


class QuestionBlock(Block):
    """`/// question | text` with options `id:` and `shuffle:`."""

    NAME = QUESTION
    ARGUMENT = None                      # checked here, not rejected silently
    OPTIONS = {"id": ("", type_any), "shuffle": (False, type_any)}

    def _validate(self, parent: etree.Element, arg: Any, **options: Any) -> bool:
        # pymdownx returns False (and prints the block as text) for an unknown option,
        # a missing title or a value its parser rejects. Record the problem instead, so
        # that the page fails with every problem listed, and go on with the defaults.
        state = _state(self.md)
        title = (arg or "").strip()
        self.line = _header_line(state, title)
        label = f"question '{title}'" if title else "question"
        if not title:
            state.problems.append(Problem(self.line, "a question needs its text as the block title: "
                                                     "'/// question | What does send_mail() return?'"))
            title = "untitled question"
        accepted = {}
        for name, value in options.items():
            messages = option_problems(label, name, value)
            state.problems.extend(Problem(self.line, message) for message in messages)
            if not messages:
                accepted[name] = value
        return super()._validate(parent, title, **accepted)

    def on_create(self, parent: etree.Element) -> etree.Element:
        element = etree.SubElement(parent, "div", {"class": QUESTION_CLASS, _PENDING: self.argument})
        explicit = self.options["id"]
        element.set("data-quiz-id", explicit or question_id(self.argument))
        element.set("data-quiz-line", "" if self.line is None else str(self.line))
        return element

    def on_end(self, block: etree.Element) -> None:
        state = _state(self.md)
        qid = block.get("data-quiz-id")
        question, problems = parse_question(block, qid=qid, title=self.argument, line=self.line,
                                            shuffle=self.options["shuffle"])
        del block.attrib[_PENDING]
        if problems:
            state.problems.extend(problems)
            return
        render_question(block, question)


class _RememberSource(Preprocessor):
    """Keeps the page's lines and where its questions start, for line numbers in errors."""

    def run(self, lines: list[str]) -> list[str]:
        state = self.md._quiz_state = _PageState()
        state.lines = list(lines)
        source = "\n".join(lines)
        state.headers = question_lines(source)
        blocks = self.md.parser.blockprocessors["blocks"].blocks
        problems, echoes = scan_blocks(source, blocks)
        state.suspects = {line: f"it closes the block of line {header}, which was printed as text too"
                          for line, header in echoes.items()}
        state.suspects.update({problem.line: problem.message for problem in problems if problem.line is not None})
        for header in echoes.values():  # a header rejected for its options: the problem is on the line below
            if header not in state.suspects and header + 1 in state.suspects:
                state.suspects[header] = state.suspects[header + 1]
        return lines


class _FinishPage(Treeprocessor):
    """After block parsing: raise every problem found, then group consecutive questions into quizzes."""

    def __init__(self, md: Markdown, pass_mark: int) -> None:
        super().__init__(md)
        self.pass_mark = pass_mark

    def run(self, root: etree.Element) -> None:
        state = _state(self.md)
        problems = list(state.problems)
        problems += self._unclosed(root)
        problems += self._stray_block_lines(root, state)
        problems += self._duplicate_ids(root)
        if problems:
            raise QuizError(sorted(problems, key=lambda p: (p.line is None, p.line or 0)))
        self._group(root)
        for element in root.iter():
            element.attrib.pop("data-quiz-line", None)

    def _unclosed(self, root: etree.Element) -> list[Problem]:
        return [
            Problem(_line(element), (
                f"question '{element.get(_PENDING)}' is never closed: add a line '///' after its "
                "explanation (without it the rest of the page becomes part of the question)"
            ))
            for element in root.iter("div") if _PENDING in element.attrib
        ]

    def _stray_block_lines(self, root: etree.Element, state: _PageState) -> list[Problem]:
        problems = []
        used: set[int] = set()
        for text in _texts(root):
            for line in text.split("\n"):
                stripped = line.strip()
                if not stripped.startswith("///"):
                    continue
                number = _find_line(state, stripped, used)
                reason = state.suspects.get(number) if number else None
                problems.append(Problem(number, (
                    f"'{stripped[:80]}' was left as plain text: " + (reason or (
                        "pymdownx did not accept this block (an unknown block name, a misspelled or invalid "
                        "option, options that are not YAML, or a '///' that closes nothing). Fix the header "
                        "or remove the line"))
                )))
        return problems

    def _duplicate_ids(self, root: etree.Element) -> list[Problem]:
        seen: dict[str, etree.Element] = {}
        problems = []
        for element in root.iter("div"):
            if not _is_question(element):
                continue
            qid = element.get("data-quiz-id")
            if qid in seen:
                first = _line(seen[qid])
                where = f" at line {first}" if first else ""
                problems.append(Problem(_line(element), (
                    f"two questions have the id '{qid}' (the other is{where}); ids must be unique on a page "
                    "because saved answers are keyed by them: give one an 'id:' option"
                )))
            else:
                seen[qid] = element
        return problems

    def _group(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            runs: list[list[etree.Element]] = []
            for child in parent:
                if not _is_question(child):
                    continue
                if runs and _follows(parent, runs[-1][-1], child):
                    runs[-1].append(child)
                else:
                    runs.append([child])
            for run in runs:
                wrap_quiz(parent, run, pass_mark=self.pass_mark)


def _is_question(element: etree.Element) -> bool:
    return QUESTION_CLASS in element.get("class", "").split() and element.get("data-quiz-id") is not None


def _follows(parent: etree.Element, previous: etree.Element, element: etree.Element) -> bool:
    """Is `element` the next sibling of `previous`, with only white space between them?"""
    children = list(parent)
    return children.index(element) == children.index(previous) + 1 and not (previous.tail or "").strip()


def _header_line(state: _PageState, title: str) -> int | None:
    """The line of this question's header: the next `/// question` header with this title."""
    for index in range(state.next_header, len(state.headers)):
        if state.headers[index][1].strip() == title:
            state.next_header = index + 1
            return state.headers[index][0]
    return None


def _line(element: etree.Element) -> int | None:
    value = element.get("data-quiz-line")
    return int(value) if value else None


def _texts(element: etree.Element):
    """Every text and tail under `element` that Markdown will show as text (code excluded)."""
    if element.tag in _SKIP:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _texts(child)
        if child.tail:
            yield child.tail


def _find_line(state: _PageState, stripped: str, used: set[int]) -> int | None:
    """The source line of a stray `///` text: one that check_page finds fault with first."""
    matching = [index + 1 for index, line in enumerate(state.lines)
                if line.strip() == stripped and index + 1 not in used]
    for number in sorted(matching, key=lambda number: number not in state.suspects):
        used.add(number)
        return number
    return None


class QuizExtension(BlocksExtension):
    """Registers `/// question` (see hooks/courseware/quiz/README or the issue for the syntax)."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"pass_mark": [70, "Percentage of correct answers that passes a quiz (0-100)."]}
        super().__init__(**kwargs)
        mark = self.getConfig("pass_mark")
        if isinstance(mark, bool) or not isinstance(mark, int) or not 0 <= mark <= 100:
            raise ValueError(f"QuizExtension: pass_mark must be a whole number from 0 to 100, not {mark!r}")

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        block_mgr.register(QuestionBlock, {})
        # Before pymdownx.snippets (32) and superfences (25): the author's own lines.
        md.preprocessors.register(_RememberSource(md), "quiz_source", 40)
        # After all block parsing, before inline Markdown (20) and the blocks' inline pass (19.99).
        md.treeprocessors.register(_FinishPage(md, self.getConfig("pass_mark")), "quiz_page", 20.5)


__all__ = ["QuizExtension", "QuestionBlock"]

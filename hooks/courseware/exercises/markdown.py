"""The exercises in Markdown: the ```python fill``` fence and the `/// exercise` block.

`Exercises` holds what the build learnt (the outcome of every check, by page)
and gives pymdownx what it needs: `superfence()` for SuperFences'
`custom_fences`, `extension()` for the Markdown extensions. The checks run
with the page's examples (see execution.py), while MkDocs renders: an exercise
is rendered with a placeholder where what its check found goes, and
`fill_outcomes` puts that in when the page is finished.

Nothing fails silently. SuperFences swallows exceptions from fences and
pymdownx.blocks prints a block it rejects as a `///` paragraph: problems are
kept in `problems` for the build to report, and `finish_page` counts the
exercise blocks that really became exercises.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.util import AtomicString
from pymdownx.blocks import BlocksExtension, BlocksProcessor
from pymdownx.blocks.block import Block, type_any

from ..blocks import HIGHLIGHT_OPTIONS
from ..errors import AuthorError
from .checks import outcome_key
from .fill import fill_options, is_fill_fence, parse_fill
from .function import load_exercise
from .render import CHECK_FAILED, function_attributes, render_failures, render_fill, render_function_parts
from .scan import EXERCISE_OPTIONS, HOW_TO_WRITE, exercise_headers

FUNCTION_MARK = 'data-exercise="function"'
_CHECK_PLACEHOLDER = re.compile(r"<!--course-check:(\d+)-->")


def _take(failures: list[str | None], index: int) -> str:
    """Each placeholder's failures once (a template that shows the content twice gets them once)."""
    failure = failures[index] if index < len(failures) else None
    if failure is None:
        return ""
    failures[index] = None
    return failure


class Exercises:
    """The exercises of the pages being built."""

    def __init__(self, snippets_dir: Path) -> None:
        self.snippets_dir = snippets_dir
        self.current_page: str | None = None
        self.execute = True            # False: the checks did not run (COURSE_EXECUTE=off)
        self.problems: list[AuthorError] = []
        self._outcomes: dict[str, dict[str, list[AuthorError]]] = {}
        self._fills_on_page = 0
        # page -> (outcome key, what is checked) of each exercise rendered, in page order
        self._pending: dict[str, list[tuple[str, str]]] = {}

    # -- the build's side ---------------------------------------------------------

    def set_outcomes(self, outcomes: dict[str, dict[str, list[AuthorError]]]) -> None:
        """What every check found: page -> outcome key -> errors (an empty list: checked, fine).

        A page's entry must be complete by the time its `fill_outcomes` is called.
        """
        self._outcomes = outcomes

    def start_page(self, page: str) -> None:
        self.current_page = page
        self._fills_on_page = 0
        self._pending[page] = []

    def fill_outcomes(self, page: str, html: str) -> str:
        """The finished page with what each exercise's check found in place of its placeholder."""
        pending = self._pending.pop(page, [])
        failures = []
        for key, what in pending:
            errors = self._outcomes.get(page, {}).get(key)
            if errors is None:
                problem = self._not_checked(what, page)
                errors = [problem] if problem else []
            failures.append(render_failures(errors, CHECK_FAILED))
        return _CHECK_PLACEHOLDER.sub(lambda match: _take(failures, int(match.group(1))), html)

    def _check_placeholder(self, key: str, what: str) -> str:
        pending = self._pending.setdefault(self.current_page or "?", [])
        pending.append((key, what))
        return f"<!--course-check:{len(pending) - 1}-->"

    def finish_page(self, source: str, html: str) -> None:
        """A `/// exercise` header that pymdownx did not accept leaves no exercise: say so."""
        headers = exercise_headers(source)
        if html.count(FUNCTION_MARK) < len(headers):
            lines = ", ".join(str(line) for line, _ in headers)
            self.problems.append(AuthorError(
                self.current_page or "?", headers[0][0] if len(headers) == 1 else None,
                f"{len(headers) - html.count(FUNCTION_MARK)} of the exercise blocks (lines {lines}) "
                "were left as plain text: pymdownx did not accept the header or its options",
                HOW_TO_WRITE))

    def _known_problem(self, problem: AuthorError) -> None:
        """A mistake the page scan reports when examples run; reported here when they do not."""
        if not self.execute:
            self.problems.append(problem)

    def _not_checked(self, what: str, page: str) -> AuthorError | None:
        if not self.execute:
            return None
        problem = AuthorError(page, None, f"{what} was not found when the page was scanned, "
                              "so it was not checked",
                              "write exercises directly in the page (not in included Markdown), "
                              "at the top level or in an indented block")
        self.problems.append(problem)
        return problem

    # -- the fill fence -----------------------------------------------------------

    def superfence(self) -> dict:
        return {"name": "python", "class": "python", "validator": self.validate_fill, "format": self.format_fill}

    def validate_fill(self, language, inputs, options, attrs, md) -> bool:
        if not is_fill_fence(language, inputs):
            return False
        for key in HIGHLIGHT_OPTIONS & inputs.keys():
            options[key] = inputs[key]
        options["_course_inputs"] = dict(inputs)
        return True

    def format_fill(self, src, language, class_name, options, md, **kwargs) -> str:
        inputs = options.pop("_course_inputs", {})
        page = self.current_page or "?"
        self._fills_on_page += 1
        ident = f"course-fill-{self._fills_on_page}"

        def highlight(code: str, highlight_options: dict) -> str:
            return md.preprocessors["fenced_code_block"].highlight(
                src=code, language="python", options=highlight_options, md=md,
                classes=kwargs.get("classes") or [], id_value="", attrs={})

        try:
            exercise = parse_fill(src, page, 0, fill_options(inputs, page, 0))
        except AuthorError as error:
            problem = AuthorError(page, None, error.message, error.hint)  # lines here count from the fence
            self._known_problem(problem)
            failure = render_failures([problem], "This exercise could not be read")
            return f'<div class="course-fill">{failure}\n{highlight(src, dict(options))}</div>'
        return render_fill(exercise, highlight, ident, options,
                           self._check_placeholder(outcome_key("fill", src), "a `python fill` block"))

    # -- the exercise block -------------------------------------------------------

    def extension(self) -> ExerciseExtension:
        return ExerciseExtension(self)


def _highlighter(md: Markdown):
    fences = md.preprocessors["fenced_code_block"]
    fences.get_hl_settings()

    def highlight(code: str, options: dict) -> str:
        return fences.highlight(src=code, language="python", options=dict(options), md=md,
                                classes=[], id_value="", attrs={})

    return highlight


class ExerciseBlock(Block):
    """`/// exercise | Title` with `src: exercises/name.py`; the content is the task."""

    NAME = "exercise"
    ARGUMENT = None                      # a missing title is reported, not rejected silently
    OPTIONS = {"src": ("", type_any)}

    def on_init(self) -> None:
        self.exercises: Exercises = self.config["exercises"]
        self.task: etree.Element | None = None

    def _validate(self, parent: etree.Element, arg: Any, **options: Any) -> bool:
        # pymdownx would reject an unknown option by printing the block as text: accept it
        # here and report it (the page scan reports it too when examples run).
        page = self.exercises.current_page or "?"
        unknown = sorted(set(options) - set(EXERCISE_OPTIONS) - {"attrs"})
        if unknown:
            self.exercises._known_problem(AuthorError(
                page, None, f"unknown option {', '.join(map(repr, unknown))} on the exercise '{arg or ''}'",
                "the only option is `src:` (the exercise file, relative to snippets/)"))
        known = {key: value for key, value in options.items() if key not in unknown}
        return super()._validate(parent, (arg or "").strip(), **known)

    def on_create(self, parent: etree.Element) -> etree.Element:
        root = etree.SubElement(parent, "div", {"class": "course-exercise", "data-exercise": "function"})
        title = etree.SubElement(root, "p", {"class": "course-exercise__title"})
        kind = etree.SubElement(title, "span", {"class": "course-exercise__kind"})
        kind.text = "Exercise"
        kind.tail = f" {self.argument}" if self.argument else ""
        self.task = etree.SubElement(root, "div", {"class": "course-exercise__task"})
        return root

    def on_add(self, block: etree.Element) -> etree.Element:
        return self.task if self.task is not None else block

    def on_end(self, block: etree.Element) -> None:
        exercises = self.exercises
        page = exercises.current_page or "?"
        src = str(self.options["src"] or "").strip()
        errors: list[AuthorError] = []
        parts = ""
        try:
            if not self.argument:
                raise AuthorError(page, None, "an exercise needs a title", HOW_TO_WRITE)
            if not src:
                raise AuthorError(page, None, f"the exercise '{self.argument}' has no `src:` option", HOW_TO_WRITE)
            exercise = load_exercise(src, exercises.snippets_dir)
        except AuthorError as error:
            exercises._known_problem(error)
            errors.append(error)
        else:
            for name, value in function_attributes(exercise, self.argument).items():
                if name != "class":
                    block.set(name, value)
            parts = (exercises._check_placeholder(outcome_key("exercise", src), f"the exercise '{self.argument}'")
                     + render_function_parts(exercise, _highlighter(self.md)))
        html = render_failures(errors, "This exercise could not be read") + parts
        if html:
            holder = etree.SubElement(block, "div", {"class": "course-exercise__parts"})
            holder.text = AtomicString(self.md.htmlStash.store(html))


class ExerciseExtension(BlocksExtension):
    """Registers `/// exercise` with pymdownx.blocks."""

    def __init__(self, exercises: Exercises, **kwargs: Any) -> None:
        self.exercises = exercises
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: BlocksProcessor) -> None:
        block_mgr.register(ExerciseBlock, {"exercises": self.exercises})


__all__ = ["ExerciseBlock", "ExerciseExtension", "Exercises"]

"""HTML of the exercises. Every value is escaped; code comes highlighted by the caller.

`highlight(code, options)` is SuperFences' highlighter (the page's own
settings): the same look as every other code block of the site.

Fill in the blank: the highlighted code holds an `<input>` at each blank; the
accepted answers are in the input's `data-answers` (a JSON list), the Check
button and feedback are switched on by exercises.js, and the completed code is
in a `<details>` that works without JavaScript.

Write a function: the task (Markdown, rendered by the block), then the
starter, the tests and the solution behind a reveal. The parts carry
`data-exercise-part` and the root `data-exercise-*`, so that a later
in-browser runner can find the code and the tests without another build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape

from ..errors import AuthorError
from .fill import FillExercise
from .function import FunctionExercise

Highlight = Callable[[str, dict], str]


CHECK_FAILED = "This exercise failed its check when the site was built"


def render_fill(exercise: FillExercise, highlight: Highlight, ident: str, options: dict, failures: str = "") -> str:
    """A fill block: code with inputs, Check (script only), the answer in a <details>.

    `failures`: HTML of what the build's check found wrong (or its placeholder).
    """
    total = len(exercise.blanks)
    tokens = _tokens(exercise)
    with_tokens = exercise.completed(tokens)
    code_html = highlight(with_tokens + "\n", dict(options))
    if any(code_html.count(token) != 1 for token in tokens.values()):
        code_html = _plain_code(with_tokens)  # the highlighter split a blank: show it unhighlighted
    for blank in exercise.blanks:
        code_html = code_html.replace(tokens[blank.number], _input(blank.number, total, blank.answers, ident))
    plural = "blank" if total == 1 else f"{total} blanks"
    parts = [
        f'<div class="course-fill" id="{ident}" data-fill-blanks="{total}">',
        failures,
        f'<p class="course-fill__how">Fill in the {plural}. '
        '<span class="course-fill__how-check" hidden>Then choose <strong>Check</strong> '
        "(or press Enter in a blank).</span></p>",
        code_html,
        '<div class="course-fill__controls" hidden>'
        '<button type="button" class="md-button md-button--primary course-fill__check">Check</button> '
        '<button type="button" class="md-button course-fill__reset">Clear</button></div>',
        '<p class="course-fill__status" role="status" aria-live="polite"></p>',
        '<details class="success course-fill__answer"><summary>Show answer</summary>',
        highlight(exercise.completed() + "\n", {}),
        _also_accepted(exercise),
        "</details>",
        "</div>",
    ]
    return "\n".join(part for part in parts if part)


def _tokens(exercise: FillExercise) -> dict[int, str]:
    """A placeholder per blank that the highlighter keeps whole (an identifier) and the code does not hold."""
    stem = "CourseBlank"
    while stem in exercise.source:
        stem += "X"
    return {blank.number: f"{stem}{blank.number}Z" for blank in exercise.blanks}


def _input(number: int, total: int, answers: tuple[str, ...], ident: str) -> str:
    size = max(4, max(len(answer) for answer in answers) + 2)
    blank_id = f"{ident}-blank-{number}"
    return (f'<input class="course-fill__blank" type="text" id="{blank_id}" aria-label="blank {number} of {total}" '
            f'size="{size}" autocomplete="off" autocapitalize="off" spellcheck="false" '
            f'data-answers="{escape(json.dumps(list(answers)), quote=True)}">'
            f'<span class="course-fill__mark" id="{blank_id}-mark" hidden></span>')


def _plain_code(code: str) -> str:
    return f'<div class="highlight"><pre><code>{escape(code)}</code></pre></div>'


def _also_accepted(exercise: FillExercise) -> str:
    others = [(blank, blank.answers[1:]) for blank in exercise.blanks if len(blank.answers) > 1]
    if not others:
        return ""
    items = "".join(f'<li>blank {blank.number}: {", ".join(f"<code>{escape(a)}</code>" for a in answers)}</li>'
                    for blank, answers in others)
    return f'<p class="course-fill__also">Also accepted:</p><ul class="course-fill__also">{items}</ul>'


def render_function_parts(exercise: FunctionExercise, highlight: Highlight) -> str:
    """The starter, the tests and the solution of a write-a-function exercise."""
    def code(section) -> str:
        return highlight(section.shown, {})

    return "\n".join([
        '<div class="course-exercise__part" data-exercise-part="starter">',
        '<p class="course-exercise__label">Start from this code</p>',
        code(exercise.starter),
        "</div>",
        '<div class="course-exercise__part" data-exercise-part="tests">',
        '<p class="course-exercise__label">You are done when these tests pass</p>',
        code(exercise.tests),
        "</div>",
        '<details class="success course-exercise__solution" data-exercise-part="solution">',
        '<summary>Show a solution <span class="course-exercise__reminder">(try it yourself first: '
        "you learn the most from your own attempt, even a wrong one)</span></summary>",
        code(exercise.solution),
        "</details>",
    ])


def function_attributes(exercise: FunctionExercise, title: str) -> dict[str, str]:
    """The root element's attributes: enough for a later in-browser runner to start from."""
    return {
        "class": "course-exercise",
        "id": "exercise-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "untitled"),
        "data-exercise": "function",
        "data-exercise-src": exercise.src,
        "data-exercise-tests": " ".join(name for name, _ in exercise.test_functions),
    }


def render_failures(errors: list[AuthorError], title: str) -> str:
    """The build's errors about an exercise, shown in the page (mkdocs serve keeps serving)."""
    if not errors:
        return ""
    text = "\n\n".join(str(error) for error in errors)
    return (f'<div class="admonition failure course-exercise__failure" role="alert">'
            f'<p class="admonition-title">{escape(title)}</p><pre><code>{escape(text)}</code></pre></div>')

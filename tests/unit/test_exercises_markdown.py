"""The fill fence and the exercise block in a bare markdown.Markdown: the HTML learners get."""

from __future__ import annotations

import html
import json
import re
import textwrap

import markdown
import pytest

from courseware.errors import AuthorError
from courseware.exercises.checks import outcome_key
from courseware.exercises.markdown import Exercises
from tests.unit.test_exercises import GOOD

PAGE = "docs/page.md"
FILL = """\
```python fill
sent = {~send_mass_mail~}(datatuple)
assert sent == {~2|len(datatuple)~}
```
"""
FILL_CODE = "sent = {~send_mass_mail~}(datatuple)\nassert sent == {~2|len(datatuple)~}\n"


@pytest.fixture
def exercises(tmp_path) -> Exercises:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "double.py").write_text(GOOD, encoding="utf-8")
    found = Exercises(tmp_path)
    found.start_page(PAGE)
    return found


def render(exercises: Exercises, source: str) -> str:
    """The page's Markdown rendered, before the checks' outcomes are put in."""
    md = markdown.Markdown(
        extensions=["pymdownx.superfences", "pymdownx.highlight", "admonition", "pymdownx.details",
                    exercises.extension()],
        extension_configs={"pymdownx.superfences": {"custom_fences": [exercises.superfence()]},
                           "pymdownx.highlight": {"pygments_lang_class": True}})
    return md.convert(textwrap.dedent(source))


def convert(exercises: Exercises, source: str) -> str:
    """The finished page: rendered, then what the checks found put in."""
    return exercises.fill_outcomes(PAGE, render(exercises, source))


def checked(exercises: Exercises, *keys: str, errors: list[AuthorError] = ()) -> Exercises:
    exercises.set_outcomes({PAGE: {key: list(errors) for key in keys}})
    return exercises


def test_each_blank_is_an_input_in_the_highlighted_code_labelled_for_screen_readers(exercises):
    page = convert(checked(exercises, outcome_key("fill", FILL_CODE)), FILL)
    inputs = re.findall(r"<input ([^>]*)>", page)
    assert len(inputs) == 2
    assert 'aria-label="blank 1 of 2"' in inputs[0] and 'aria-label="blank 2 of 2"' in inputs[1]
    answers = [json.loads(html.unescape(re.search(r'data-answers="([^"]*)"', attrs).group(1))) for attrs in inputs]
    assert answers == [["send_mass_mail"], ["2", "len(datatuple)"]]
    assert '<span class="n">sent</span>' in page  # highlighted around the blanks
    code = re.search(r"<code>(.*?)</code>", page, flags=re.S).group(1)
    assert "{~" not in code and "CourseBlank" not in page and code.count("<input") == 2
    assert exercises.problems == []


def test_without_javascript_the_completed_code_is_in_a_details_and_the_check_button_is_hidden(exercises):
    page = convert(checked(exercises, outcome_key("fill", FILL_CODE)), FILL)
    answer = re.search(r'<details class="success course-fill__answer"><summary>Show answer</summary>(.*?)</details>',
                       page, flags=re.S).group(1)
    text = html.unescape(re.sub(r"<[^>]+>", "", answer))
    assert "sent = send_mass_mail(datatuple)\nassert sent == 2" in text
    assert "Also accepted:blank 2: len(datatuple)" in text
    assert '<div class="course-fill__controls" hidden>' in page
    assert 'class="md-button md-button--primary course-fill__check">Check</button>' in page
    assert '<p class="course-fill__status" role="status" aria-live="polite"></p>' in page


def test_fill_ids_are_unique_and_stable_on_a_page(exercises):
    first = convert(checked(exercises, outcome_key("fill", FILL_CODE)), FILL + "\n" + FILL)
    ids = re.findall(r' id="([^"]+)"', first)
    assert len(ids) == len(set(ids)) and "course-fill-2-blank-1" in ids
    exercises.start_page(PAGE)
    assert convert(exercises, FILL + "\n" + FILL) == first


def test_a_fill_block_that_failed_its_check_shows_the_error_in_the_page(exercises):
    error = AuthorError(PAGE, 3, "blank 2 of 2: with the accepted answer '3', the code raised AssertionError")
    page = convert(checked(exercises, outcome_key("fill", FILL_CODE), errors=[error]), FILL)
    assert 'role="alert"' in page and "docs/page.md:3: blank 2 of 2" in page
    assert exercises.problems == []  # the build reports it once, from the check


def test_a_fill_block_the_scan_did_not_see_is_a_problem(exercises):
    exercises.set_outcomes({PAGE: {}})
    page = convert(exercises, FILL)
    assert "was not found when the page was scanned" in page
    assert [problem.path for problem in exercises.problems] == [PAGE]


def test_with_execution_off_a_malformed_fill_block_is_still_reported(exercises):
    exercises.execute = False
    page = convert(exercises, "```python fill\nx = {~~}\n```\n")
    assert "blank 1 has no answer" in page
    assert "blank 1 has no answer" in exercises.problems[0].message


def test_plain_python_and_run_fences_are_not_fill_blocks(exercises):
    page = convert(exercises, "```python\nx = {~1~}\n```\n")
    assert "course-fill" not in page and "{~1~}" in html.unescape(re.sub(r"<[^>]+>", "", page))


EXERCISE = """\
/// exercise | Double it
    src: exercises/double.py

Write `double(n)` so that **every** test passes.
///
"""


def test_the_exercise_block_shows_task_starter_tests_and_the_solution_behind_a_reveal(exercises):
    page = convert(checked(exercises, outcome_key("exercise", "exercises/double.py")), EXERCISE)
    root = re.search(r'<div class="course-exercise"([^>]*)>', page).group(1)
    assert 'data-exercise="function"' in root and 'data-exercise-src="exercises/double.py"' in root
    assert 'data-exercise-tests="test_two test_negative"' in root and 'id="exercise-double-it"' in root
    assert '<span class="course-exercise__kind">Exercise</span> Double it' in page
    assert "<p>Write <code>double(n)</code> so that <strong>every</strong> test passes.</p>" in page
    starter = page.index('data-exercise-part="starter"')
    tests = page.index('data-exercise-part="tests"')
    solution = page.index('<details class="success course-exercise__solution" data-exercise-part="solution">')
    assert page.index("<p>Write") < starter < tests < solution
    summary = re.search(r"<summary>(.*?)</summary>", page[solution:]).group(1)
    assert "Show a solution" in summary and "try it yourself first" in summary
    assert "return" in page[solution:] and "return" not in page[starter:solution]
    assert exercises.problems == []


def test_an_exercise_that_failed_its_check_shows_the_error(exercises):
    error = AuthorError("snippets/exercises/double.py", 3, "starter section: the starter passes every test")
    page = convert(checked(exercises, outcome_key("exercise", "exercises/double.py"), errors=[error]), EXERCISE)
    assert 'role="alert"' in page and "snippets/exercises/double.py:3: starter section" in page


def test_an_unknown_option_does_not_turn_the_exercise_into_text(exercises):
    exercises.execute = False
    page = convert(exercises, EXERCISE.replace("    src:", "    hint: no\n    src:"))
    assert 'data-exercise="function"' in page and "/// exercise" not in page
    assert "unknown option 'hint'" in exercises.problems[0].message


def test_a_missing_file_is_shown_and_reported(exercises):
    exercises.execute = False
    page = convert(exercises, EXERCISE.replace("double.py", "nope.py"))
    assert "the exercise file does not exist" in page
    assert exercises.problems[0].path == "snippets/exercises/nope.py"


def test_an_exercise_block_pymdownx_rejects_is_caught_by_finish_page(exercises):
    source = "/// exercise | Double it\n    src: [unclosed\n\nTask.\n///\n"
    page = convert(exercises, source)
    assert "course-exercise" not in page  # pymdownx printed it as text
    exercises.finish_page(source, page)
    (problem,) = exercises.problems
    assert (problem.path, problem.line) == (PAGE, 1) and "left as plain text" in problem.message


def test_a_page_renders_before_its_checks_have_run_and_the_finished_page_gets_their_outcome(exercises):
    exercises.set_outcomes({})  # the checks are still running
    rendered = render(exercises, FILL + "\n" + EXERCISE)
    assert rendered.count("<!--course-check:") == 2 and 'role="alert"' not in rendered
    fill_error = AuthorError(PAGE, 3, "blank 2 of 2: with the accepted answer '3', the code raised AssertionError")
    exercises.set_outcomes({PAGE: {outcome_key("fill", FILL_CODE): [fill_error],
                                   outcome_key("exercise", "exercises/double.py"): []}})
    page = exercises.fill_outcomes(PAGE, f"<html><body>{rendered}</body></html>")
    assert "course-check" not in page and page.count('role="alert"') == 1
    assert page.index("docs/page.md:3: blank 2 of 2") < page.index('data-exercise="function"')
    assert exercises.problems == []


def test_a_page_rendered_again_does_not_keep_the_placeholders_of_the_first_time(exercises):
    render(exercises, FILL)  # a build that stopped before the page was finished (mkdocs serve)
    exercises.start_page(PAGE)
    page = convert(checked(exercises, outcome_key("exercise", "exercises/double.py")), EXERCISE)
    assert 'role="alert"' not in page and exercises.problems == []

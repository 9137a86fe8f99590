"""Exercises as authors write them: parsing, and every mistake that must stop the build (no runner here)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from courseware.errors import AuthorError
from courseware.exercises.checks import FillCheck, FunctionCheck, page_checks
from courseware.exercises.fill import parse_fill
from courseware.exercises.function import parse_exercise
from courseware.exercises.scan import exercise_headers, scan_exercises, scan_fills
from tests.conftest import SNIPPETS

PAGE = "docs/page.md"


def page(text: str) -> str:
    return textwrap.dedent(text)


def fill_error(markdown: str) -> AuthorError:
    fills, problems = scan_fills(page(markdown), PAGE)
    assert fills == [] and len(problems) == 1, problems
    return problems[0]


# -- fill in the blank: parsing -------------------------------------------------------


def test_blanks_are_found_in_reading_order_with_their_page_lines_and_answers():
    fills, problems = scan_fills(page("""\
        # Title

        ```python fill
        sent = {~send_mass_mail~}(datatuple)
        assert sent == {~2 | len(datatuple)~}  # and {~ok~}
        ```
        """), PAGE)
    assert problems == []
    (fill,) = fills
    assert (fill.page, fill.line) == (PAGE, 3)
    assert [(b.number, b.line, b.answers) for b in fill.blanks] == [
        (1, 4, ("send_mass_mail",)), (2, 5, ("2", "len(datatuple)")), (3, 5, ("ok",))]
    assert fill.options.isolated


def test_the_build_runs_the_first_answers_once_then_each_other_answer_alone():
    fill = parse_fill("a = {~1|2~}\nb = {~3|4|5~}\n", PAGE, 10)
    assert [(v.code, v.blank and v.blank.number, v.answer) for v in fill.variants()] == [
        ("a = 1\nb = 3", None, None),
        ("a = 2\nb = 3", 1, "2"),
        ("a = 1\nb = 4", 2, "4"),
        ("a = 1\nb = 5", 2, "5"),
    ]


def test_two_blanks_on_one_line_are_both_filled():
    fill = parse_fill("x = {~a~} + {~bb|c~} + {~d~}\n", PAGE, 1)
    assert fill.completed() == "x = a + bb + d"
    assert fill.completed({2: "c"}) == "x = a + c + d"


def test_fences_shown_inside_a_longer_fence_are_text():
    fills, problems = scan_fills(page("""\
        ````markdown
        ```python fill
        x = {~~}
        ```
        ````
        """), PAGE)
    assert fills == [] and problems == []


@pytest.mark.parametrize(("body", "line", "words"), [
    ("x = {~~}", 2, "blank 1 has no answer"),
    ("x = {~ | ~}", 2, "blank 1 has no answer"),
    ("x = {~a~}\ny = {~b||c~}", 3, "blank 2 has an empty alternative"),
    ("x = {~a|a~}", 2, "lists the same answer twice"),
    ("x = {~a", 2, "not closed with ~} on the same line"),
    ("x = a~}", 2, "closes no blank"),
    ("x = 1", 1, "has no blank"),
    ('--8<-- "bookshelf/emails.py"\nx = {~1~}', 2, "cannot include a file"),
])
def test_a_blank_written_wrong_is_an_error_naming_the_line(body, line, words):
    error = fill_error(f"```python fill\n{body}\n```\n")
    assert (error.path, error.line) == (PAGE, line)
    assert words in error.message


def test_an_unknown_option_on_a_fill_block_is_an_error():
    error = fill_error('```python fill isolatd timeout="3"\nx = {~1~}\n```\n')
    assert (error.line, error.message) == (1, "unknown option 'isolatd' on a `python fill` block")


def test_fill_blocks_take_timeout_and_warnings_like_run_blocks():
    (fill,), _ = scan_fills('```python fill timeout="12" warnings="show" title="t.py"\nx = {~1~}\n```\n', PAGE)
    assert (fill.options.timeout, fill.options.warnings, fill.options.isolated) == (12.0, "show", True)
    assert "timeout" in fill_error('```python fill timeout="soon"\nx = {~1~}\n```\n').message


def test_an_unclosed_fill_block_is_an_error():
    assert "never closed" in fill_error("```python fill\nx = {~1~}\n").message


# -- write a function: the exercise file ----------------------------------------------

GOOD = """\
# An exercise.

# --- starter ---
def double(n):
    ...

# --- solution ---
def double(n):
    return 2 * n

# --- tests ---
assert double(1) == 2


def test_two():
    assert double(2) == 4


def test_negative():
    assert double(-3) == -6
"""


def test_the_three_sections_are_read_with_their_file_lines():
    exercise = parse_exercise(GOOD, "exercises/double.py")
    assert exercise.path == "snippets/exercises/double.py"
    assert [exercise.section(name).marker_line for name in ("starter", "solution", "tests")] == [3, 7, 11]
    assert exercise.solution.shown == "def double(n):\n    return 2 * n\n"
    assert exercise.solution.file_line(2) == 9
    assert exercise.test_functions == (("test_two", 15), ("test_negative", 19))


@pytest.mark.parametrize(("text", "line", "words"), [
    (GOOD.replace("# --- tests ---", "# --- checks ---"), 11, "unknown section 'checks'"),
    (GOOD.replace("# --- solution ---", "# --- starter ---"), 7, "the starter section appears twice"),
    (GOOD.split("# --- tests ---")[0], None, "the tests section is missing"),
    ("import os\n" + GOOD, 1, "code before the first section"),
    (GOOD.replace("return 2 * n", "return 2 *"), 9, "the solution section is not valid Python"),
    (GOOD.replace("def double(n):\n    ...\n", ""), 3, "the starter section is empty"),
    (GOOD.split("# --- tests ---")[0] + "# --- tests ---\nprint(double(2))\n", 11, "the tests section checks nothing"),
    (GOOD.replace("def test_two():", "def test_two(n):"), 15, "test_two() takes arguments"),
])
def test_an_exercise_file_written_wrong_names_the_file_line_and_section(text, line, words):
    with pytest.raises(AuthorError) as raised:
        parse_exercise(text, "exercises/double.py")
    assert (raised.value.path, raised.value.line) == ("snippets/exercises/double.py", line)
    assert words in raised.value.message


# -- write a function: the block in the page ------------------------------------------


@pytest.fixture
def snippets(tmp_path) -> Path:
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "double.py").write_text(GOOD, encoding="utf-8")
    return tmp_path


def exercise_page(options: str, title: str = "Double it") -> str:
    return f"# T\n\n/// exercise | {title}\n{options}\nWrite `double(n)`.\n///\n"


def test_an_exercise_block_is_found_with_its_title_and_file(snippets):
    blocks, problems = scan_exercises(exercise_page("    src: exercises/double.py\n"), PAGE, snippets)
    assert problems == []
    (block,) = blocks
    assert (block.page, block.line, block.title, block.src) == (PAGE, 3, "Double it", "exercises/double.py")
    assert block.exercise.test_functions[0][0] == "test_two"


@pytest.mark.parametrize(("options", "title", "line", "words"), [
    ("    src: exercises/double.py\n    hints: yes\n", "Double it", 4, "unknown option 'hints'"),
    ("    scr: exercises/double.py\n", "Double it", 4, "unknown option 'scr'"),
    ("", "Double it", 3, "has no `src:` option"),
    ("    src: exercises/double.py\n", "", 3, "needs a title"),
    ("    src: [exercises/double.py\n", "Double it", 4, "not valid YAML"),
])
def test_an_exercise_block_written_wrong_is_an_error_naming_the_page_line(snippets, options, title, line, words):
    blocks, problems = scan_exercises(exercise_page(options, title), PAGE, snippets)
    assert blocks == [] and len(problems) == 1
    assert (problems[0].path, problems[0].line) == (PAGE, line)
    assert words in problems[0].message


def test_a_missing_exercise_file_is_an_error_naming_it(snippets):
    _, (problem,) = scan_exercises(exercise_page("    src: exercises/nope.py\n"), PAGE, snippets)
    assert (problem.path, problem.message) == ("snippets/exercises/nope.py", "the exercise file does not exist")
    _, (outside,) = scan_exercises(exercise_page("    src: ../../etc/passwd\n"), PAGE, snippets)
    assert outside.message == "the exercise file does not exist"


def test_exercise_headers_inside_code_are_text():
    text = "```markdown\n/// exercise | Shown\n    src: x.py\n///\n```\n\n/// exercise | Real\n"
    assert exercise_headers(text) == [(7, "Real")]


# -- checks: what the build will run --------------------------------------------------


def test_a_fill_check_runs_one_isolated_session_per_variant_with_page_lines(snippets):
    checks, problems = page_checks("```python fill\nx = {~1|2~}\nassert x\n```\n", PAGE, snippets)
    assert problems == []
    (check,) = checks
    assert isinstance(check, FillCheck)
    assert [[block.code for block in session] for session in check.sessions] == [["x = 1\nassert x\n"],
                                                                                  ["x = 2\nassert x\n"]]
    block = check.sessions[0][0]
    assert block.options.isolated and block.origin(2).line == 3


def test_an_exercise_check_runs_the_solution_and_the_starter_each_followed_by_the_tests(snippets):
    (check,), _ = page_checks(exercise_page("    src: exercises/double.py\n"), PAGE, snippets)
    assert isinstance(check, FunctionCheck)
    (solution, solution_tests), (starter, starter_tests) = check.sessions
    assert "return 2 * n" in solution.code and "..." in starter.code
    assert solution_tests.code.endswith("test_two()\ntest_negative()\n")
    assert solution_tests.options.raises is None and starter_tests.options.raises == "Exception"
    assert solution.origin(2).path == "snippets/exercises/double.py" and solution.origin(2).line == 9
    assert solution_tests.origin(solution_tests.code.count("\n")).line == 19  # the call of test_negative


def test_every_problem_of_a_page_is_reported_not_just_the_first(snippets):
    text = "```python fill\nx = {~~}\n```\n\n" + exercise_page("    src: exercises/nope.py\n")
    checks, problems = page_checks(text, PAGE, snippets)
    assert checks == [] and len(problems) == 2


def test_the_lesson_exercise_file_is_valid():
    src = "exercises/order_confirmation.py"
    exercise = parse_exercise((SNIPPETS / src).read_text(encoding="utf-8"), src)
    assert "build_confirmation" in exercise.starter.code and len(exercise.test_functions) >= 4

"""Exercises checked in the sandbox: a broken exercise fails the build at the right place, a good one is cached."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from courseware.cache import ResultCache
from courseware.execution import CACHED, run_course
from tests.conftest import SNIPPETS
from tests.unit.test_exercises import GOOD

PAGE = "docs/practice.md"
EXERCISE_FILE = "snippets/exercises/double.py"


@pytest.fixture
def snippets(tmp_path) -> Path:
    """Where the page scan finds exercise files (the runner keeps the course's settings and templates)."""
    folder = tmp_path / "snippets"
    (folder / "exercises").mkdir(parents=True)
    return folder


def check(runner, snippets: Path, markdown: str, exercise: str | None = None, cache: ResultCache | None = None):
    if exercise is not None:
        (snippets / "exercises" / "double.py").write_text(exercise, encoding="utf-8")
    return run_course(runner, {PAGE: textwrap.dedent(markdown)}, snippets, cache)


def fill_page(code: str) -> str:
    return f"# Practice\n\n```python fill\n{textwrap.dedent(code).strip()}\n```\n"


EXERCISE_PAGE = "# Practice\n\n/// exercise | Double it\n    src: exercises/double.py\n\nWrite it.\n///\n"


# -- fill in the blank -------------------------------------------------------------------


def test_a_fill_block_whose_answers_all_work_passes(runner, snippets):
    run = check(runner, snippets, fill_page("""
        from django.core.mail import send_mass_mail
        datatuple = (
            ("Grade", "Ada: A", "teacher@example.com", ["ada@example.com"]),
            ("Grade", "Linus: B", "teacher@example.com", ["linus@example.com"]),
        )
        sent = {~send_mass_mail~}(datatuple, using="outbox")
        assert sent == {~2|len(datatuple)~}
    """))
    assert run.failures == []
    assert [report.kind for report in run.reports] == ["fill", "fill"]
    assert list(run.checks[PAGE].values()) == [[]]
    assert run.results[PAGE] == []  # checks are judged, not shown as examples


def test_a_broken_accepted_answer_fails_naming_page_line_and_blank(runner, snippets):
    run = check(runner, snippets, fill_page("""
        from django.core.mail import send_mail
        sent = send_mail("Hi", "Body", None, ["a@example.com", "b@example.com"], using="outbox")
        assert sent == {~1|2~}
    """))
    (failure,) = run.failures
    assert (failure.path, failure.line) == (PAGE, 6)
    assert failure.message == "blank 1 of 1: with the accepted answer '2', the code raised AssertionError"


def test_a_failing_first_answer_is_blamed_on_the_blank_of_the_failing_line(runner, snippets):
    run = check(runner, snippets, fill_page("""
        total = {~1 + 1~}
        assert total == 2
        name = {~"ada".upper~}()
        assert name == "Ada"
    """))
    (failure,) = run.failures  # line 7 holds no blank: all are named, with the failing line
    assert (failure.path, failure.line) == (PAGE, 7)
    assert failure.message.startswith("with the first accepted answer of each blank (blank 1: '1 + 1', "
                                      "blank 2: '\"ada\".upper'), the code raised AssertionError")
    run = check(runner, snippets, fill_page("""
        value = {~int("x")~}
    """))
    (failure,) = run.failures
    assert (failure.line, failure.message.split(",")[0]) == (4, "blank 1 of 1: with the accepted answer 'int(\"x\")'")
    assert "ValueError" in failure.message


def test_a_fill_block_that_never_ends_is_stopped(runner, snippets):
    run = check(runner, snippets, fill_page("""
        import time
        time.sleep({~30~})
    """).replace("```python fill", '```python fill timeout="0.5"'))
    (failure,) = run.failures
    assert failure.line == 5 and "did not finish within 0.5 seconds" in failure.message


# -- write a function ---------------------------------------------------------------------


def test_a_good_exercise_passes_and_runs_in_two_fresh_sessions(runner, snippets):
    run = check(runner, snippets, EXERCISE_PAGE, GOOD)
    assert run.failures == []
    assert [report.kind for report in run.reports] == ["exercise"] * 4


def test_a_starter_that_passes_every_test_fails_the_build(runner, snippets):
    too_easy = GOOD.replace("def double(n):\n    ...", "def double(n):\n    return n + n")
    run = check(runner, snippets, EXERCISE_PAGE, too_easy)
    (failure,) = run.failures
    assert (failure.path, failure.line) == (EXERCISE_FILE, 3)
    assert failure.message.startswith("starter section: the starter passes every test (exercise 'Double it' on "
                                      f"{PAGE}:3)")


def test_a_solution_that_fails_a_test_fails_the_build_at_the_failing_assert(runner, snippets):
    run = check(runner, snippets, EXERCISE_PAGE, GOOD.replace("return 2 * n", "return abs(2 * n)"))
    (failure,) = run.failures
    assert (failure.path, failure.line) == (EXERCISE_FILE, 20)
    assert failure.message.startswith("tests section: the solution fails test_negative(): it raised AssertionError")


def test_a_solution_that_does_not_run_names_its_line(runner, snippets):
    run = check(runner, snippets, EXERCISE_PAGE, GOOD.replace("return 2 * n", "return 2 * m"))
    messages = [(failure.path, failure.line, failure.message.split(":")[0]) for failure in run.failures]
    assert messages == [(EXERCISE_FILE, 12, "tests section")]  # the first test that calls it
    assert run.failures[0].message.startswith("tests section: the solution fails the tests: it raised NameError: "
                                              "name 'm' is not defined")
    assert run.failures[0].message.endswith(f"it was raised in the solution at {EXERCISE_FILE}:9")
    broken = GOOD.replace("# --- solution ---\n", "# --- solution ---\nimport no_such_module\n")
    (failure,) = check(runner, snippets, EXERCISE_PAGE, broken).failures
    assert (failure.line, failure.message.split(": ")[:2]) == (8, ["solution section", "the solution does not run"])


def test_a_starter_that_does_not_run_fails_the_build(runner, snippets):
    run = check(runner, snippets, EXERCISE_PAGE, GOOD.replace("def double(n):\n    ...", "raise SystemExit(1)"))
    (failure,) = run.failures
    assert (failure.path, failure.line) == (EXERCISE_FILE, 4)
    assert failure.message.startswith("starter section: the starter does not run")


def test_the_lesson_exercise_is_sound(runner):
    lesson = Path(__file__).resolve().parents[2] / "docs/lessons/sending-email.md"
    run = run_course(runner, {"docs/lessons/sending-email.md": lesson.read_text(encoding="utf-8")}, SNIPPETS)
    assert run.failures == []
    kinds = {report.kind for report in run.reports}
    assert {"example", "fill", "exercise"} <= kinds


def test_checks_are_cached_like_examples_and_a_changed_exercise_runs_again(runner, snippets, tmp_path):
    def cache():
        return ResultCache(tmp_path / "cache", SNIPPETS, SNIPPETS / "course_settings.py")

    page = EXERCISE_PAGE + "\n" + fill_page("assert {~1~} == 1")
    first = check(runner, snippets, page, GOOD, cache())
    assert first.failures == [] and CACHED not in {report.status for report in first.reports}
    again = check(runner, snippets, page, GOOD, cache())
    assert again.failures == [] and {report.status for report in again.reports} == {CACHED}
    edited = check(runner, snippets, page, GOOD.replace("assert double(1) == 2", "assert double(1) == 2.0"), cache())
    statuses = [(report.kind, report.status) for report in edited.reports]
    assert ("fill", CACHED) in statuses and ("exercise", "ran") in statuses

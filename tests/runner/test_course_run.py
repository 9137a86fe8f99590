"""Running a whole course with the cache: nothing unchanged runs twice, the report says why."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from courseware.cache import ResultCache
from courseware.execution import CACHED, FAILED, RAN, REPLAYED, run_course
from courseware.runner import Runner
from tests.conftest import REPO, SNIPPETS

LETTERS = """\
    # Letters

    ```python run
    from django.template.loader import render_to_string
    greeting = render_to_string("letter.txt", {"name": "Ada"})
    ```

    ```python run
    print(greeting.strip())
    ```

    ```python run
    print(len(greeting))
    ```
    """

NUMBERS = """\
    # Numbers

    ```python run
    print(6 * 7)
    ```

    ```python run isolated
    print("alone")
    ```
    """


@pytest.fixture()
def course(tmp_path):
    snippets = tmp_path / "snippets"
    shutil.copytree(SNIPPETS, snippets, ignore=shutil.ignore_patterns("__pycache__"))
    (snippets / "templates/letter.txt").write_text("Dear {{ name }},\n")
    pages = {"docs/letters.md": textwrap.dedent(LETTERS), "docs/numbers.md": textwrap.dedent(NUMBERS)}
    return snippets, pages


def build(runner, snippets: Path, pages: dict[str, str], mode: str = "on"):
    cache = ResultCache(snippets.parent / "cache", snippets, snippets / "course_settings.py", mode=mode)
    return run_course(runner, pages, snippets, cache)


def statuses(run) -> list[tuple[str, int, str]]:
    return [(report.page, report.line, report.status) for report in run.reports]


@pytest.fixture()
def course_runner(course):
    snippets, _ = course
    with Runner(repo=REPO, snippets_dir=snippets) as runner:
        yield runner


def test_a_second_build_runs_nothing_and_shows_the_same_output(course, course_runner):
    snippets, pages = course
    first = build(course_runner, snippets, pages)
    assert [status for *_, status in statuses(first)] == [RAN] * 5
    second = build(course_runner, snippets, pages)
    assert [status for *_, status in statuses(second)] == [CACHED] * 5
    assert second.seconds_executing == 0
    expected = ["", "Dear Ada,\n", "10\n", "42\n", "alone\n"]
    assert outputs(first) == outputs(second) == expected


def outputs(run) -> list[str]:
    return [result.output for page in sorted(run.results) for result in run.results[page]]


def test_editing_a_block_reruns_its_session_and_counts_only_what_changed(course, course_runner):
    snippets, pages = course
    build(course_runner, snippets, pages)
    pages["docs/letters.md"] = pages["docs/letters.md"].replace("print(greeting.strip())", "print(greeting.upper())")
    run = build(course_runner, snippets, pages)
    assert statuses(run) == [
        ("docs/letters.md", 3, REPLAYED),
        ("docs/letters.md", 8, RAN),
        ("docs/letters.md", 12, REPLAYED),  # ran again after the edited block, and printed the same
        ("docs/numbers.md", 3, CACHED),
        ("docs/numbers.md", 7, CACHED),
    ]
    reasons = {report.line: report.reason for report in run.reports if report.page == "docs/letters.md"}
    assert reasons == {3: "unchanged, ran to rebuild its session's state",
                       8: "its code or options changed",
                       12: "ran again (an earlier block of its session changed), and its result is the same as before"}
    assert run.results["docs/letters.md"][1].output == "DEAR ADA,\n\n"


def test_a_block_after_an_edit_whose_result_changes_counts_as_run(course, course_runner):
    snippets, pages = course
    build(course_runner, snippets, pages)
    pages["docs/letters.md"] = pages["docs/letters.md"].replace('{"name": "Ada"}', '{"name": "Grace"}')
    run = build(course_runner, snippets, pages)
    assert [status for page, _, status in statuses(run) if page == "docs/letters.md"] == [RAN, RAN, RAN]
    assert outputs(run)[1:3] == ["Dear Grace,\n", "12\n"]


def test_a_template_edit_counts_the_blocks_that_read_it_and_those_whose_result_changed(course, course_runner):
    snippets, pages = course
    pages["docs/quiet.md"] = textwrap.dedent("""\
        ```python run
        from django.template.loader import render_to_string
        text = render_to_string("letter.txt", {"name": "Ada"})
        ```

        ```python run
        print(6 * 7)
        ```
        """)
    build(course_runner, snippets, pages)
    (snippets / "templates/letter.txt").write_text("Hello {{ name }}!\n")
    run = build(course_runner, snippets, pages)
    quiet = [(line, status, reason) for page, line, status, reason in
             ((r.page, r.line, r.status, r.reason) for r in run.reports) if page == "docs/quiet.md"]
    assert quiet == [
        (1, RAN, "snippets/templates/letter.txt changed"),  # it reads the template, though it prints nothing
        (6, REPLAYED, "ran again (snippets/templates/letter.txt changed), and its result is the same as before"),
    ]


def test_a_prose_edit_runs_nothing(course, course_runner):
    snippets, pages = course
    build(course_runner, snippets, pages)
    pages["docs/numbers.md"] = pages["docs/numbers.md"].replace("# Numbers", "# Numbers\n\nNew paragraph.\n")
    run = build(course_runner, snippets, pages)
    assert {status for *_, status in statuses(run)} == {CACHED}


def test_a_template_edit_reruns_exactly_the_sessions_that_read_it(course, course_runner):
    snippets, pages = course
    build(course_runner, snippets, pages)
    (snippets / "templates/letter.txt").write_text("Hello {{ name }}!\n")
    run = build(course_runner, snippets, pages)
    assert [(page, status) for page, _, status in statuses(run)] == [
        ("docs/letters.md", RAN), ("docs/letters.md", RAN), ("docs/letters.md", RAN),
        ("docs/numbers.md", CACHED), ("docs/numbers.md", CACHED)]
    assert run.reports[0].reason == "snippets/templates/letter.txt changed"
    assert run.results["docs/letters.md"][1].output == "Hello Ada!\n"


def test_failures_are_reported_and_never_cached(course, course_runner):
    snippets, pages = course
    pages["docs/numbers.md"] = pages["docs/numbers.md"].replace("print(6 * 7)", "print(6 / 0)")
    for _ in range(2):
        run = build(course_runner, snippets, pages)
        assert statuses(run)[3] == ("docs/numbers.md", 3, FAILED)
        assert "ZeroDivisionError" in run.reports[3].reason
        assert run.count(FAILED) == 1 and len(run.failures) == 1


def test_a_forced_rerun_runs_everything(course, course_runner):
    snippets, pages = course
    build(course_runner, snippets, pages)
    run = build(course_runner, snippets, pages, mode="refresh")
    assert run.count(RAN) == 5 and run.count(CACHED) == 0


def test_parallel_and_serial_runs_give_the_same_results(course):
    snippets, pages = course
    outputs = []
    for workers in (1, 4):
        with Runner(repo=REPO, snippets_dir=snippets, workers=workers) as runner:
            run = build(runner, snippets, pages, mode="off")
        outputs.append([(page, result.block.line, result.output) for page in sorted(run.results)
                        for result in run.results[page]])
    assert outputs[0] == outputs[1]

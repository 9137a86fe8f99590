"""The course run by the driver process (what the build uses) gives what an in-process run gives."""

from __future__ import annotations

import pickle
import shutil
import textwrap

import pytest

from courseware.cache import ResultCache
from courseware.errors import AuthorError
from courseware.execution import CACHED, FAILED, RAN, CourseRun, CourseRunEnded, PageRun, run_course
from courseware.notebooks import dumps, lesson_notebook
from courseware.runner import Runner, RunnerError
from courseware.runner.background import CacheSettings, RunnerProcess
from tests.conftest import REPO, SNIPPETS

PAGES = {
    "docs/a.md": textwrap.dedent("""\
        # A

        ```python run
        from django.core.mail import send_mail
        send_mail("Hello", "Body", None, ["a@example.com"])
        ```

        ```python run
        print("second", 6 * 7)
        ```
        """),
    "docs/b.md": "# B\n\nNo examples here.\n",
    "docs/c.md": textwrap.dedent("""\
        # C

        ```python run
        print(undefined_name)
        ```

        ```python run badoption
        print(1)
        ```
        """),
}


@pytest.fixture()
def snippets(tmp_path):
    folder = tmp_path / "snippets"
    shutil.copytree(SNIPPETS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def comparable(run: CourseRun) -> dict:
    return {
        "results": {page: [(result.block.line, result.output, result.exception_type, str(result.error))
                           for result in results] for page, results in run.results.items()},
        "reports": [(report.page, report.line, report.status) for report in run.reports],
        "problems": [str(problem) for problem in run.problems],
    }


def test_the_driver_gives_what_an_in_process_run_gives(snippets, tmp_path):
    with Runner(repo=REPO, snippets_dir=snippets, workers=2) as runner:
        local = run_course(runner, PAGES, snippets)
    with RunnerProcess(repo=REPO, snippets_dir=snippets, workers=2) as driver:
        remote = driver.start_course(PAGES)
        remote.wait_all()
    assert comparable(remote) == comparable(local)
    assert "Subject: Hello" in remote.results["docs/a.md"][0].output
    assert remote.results["docs/a.md"][0].emails[0]["subject"] == "Hello"
    assert [report.status for report in remote.reports if report.page == "docs/c.md"] == [FAILED]
    assert any("unknown option 'badoption'" in str(problem) for problem in remote.problems)
    assert remote.seconds_in_all > 0


def test_pages_come_in_order_and_a_later_page_brings_the_earlier_ones(snippets):
    with RunnerProcess(repo=REPO, snippets_dir=snippets) as driver:
        run = driver.start_course(PAGES)
        read = run.wait_page("docs/b.md")
        assert [page_run.page for page_run in read] == ["docs/a.md", "docs/b.md"]
        assert run.waiting == {"docs/c.md"}
        assert run.wait_page("docs/a.md") == []  # already in
        assert [page_run.page for page_run in run.wait_all()] == ["docs/c.md"]


def test_the_driver_caches_and_a_second_build_runs_nothing(snippets, tmp_path):
    cache = CacheSettings(tmp_path / "cache", snippets / "course_settings.py")
    with RunnerProcess(repo=REPO, snippets_dir=snippets) as driver:
        first = driver.start_course(PAGES, cache=cache)
        first.wait_all()
        second = driver.start_course(PAGES, cache=cache)
        second.wait_all()
    assert first.count(RAN) == 2 and first.count(CACHED) == 0
    assert second.count(CACHED) == 2 and second.count(RAN) == 0
    assert second.results["docs/a.md"][1].output == "second 42\n"
    # the same entries an in-process run finds
    with Runner(repo=REPO, snippets_dir=snippets) as runner:
        local = run_course(runner, PAGES, snippets, ResultCache(cache.folder, snippets, cache.settings_file))
    assert local.count(CACHED) == 2


def test_a_build_left_half_way_does_not_mix_into_the_next(snippets):
    with RunnerProcess(repo=REPO, snippets_dir=snippets) as driver:
        abandoned = driver.start_course(PAGES)
        abandoned.wait_page("docs/a.md")  # then the build stopped (mkdocs serve goes on)
        changed = {"docs/a.md": "# A\n\n```python run\nprint('changed')\n```\n"}
        run = driver.start_course(changed)
        run.wait_all()
    assert list(run.results) == ["docs/a.md"]
    assert run.results["docs/a.md"][0].output == "changed\n"


def test_a_runner_that_cannot_start_is_reported_when_a_page_is_waited_for(snippets):
    (snippets / "broken_settings.py").write_text("raise RuntimeError('settings are broken')\n")
    with RunnerProcess(repo=REPO, snippets_dir=snippets, settings_module="broken_settings") as driver:
        run = driver.start_course(PAGES)
        with pytest.raises(RunnerError, match="(?s)Django could not be set up.*settings are broken"):
            run.wait_page("docs/a.md")


def test_the_options_are_checked_in_the_build(snippets):
    with pytest.raises(RunnerError, match="COURSE_SANDBOX='jail'"):
        RunnerProcess(repo=REPO, snippets_dir=snippets, sandbox="jail")


def test_author_errors_cross_processes_whole():
    error = AuthorError("docs/a.md", 7, "the example raised NameError", "fix it")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.message, copy.hint) == ("docs/a.md", 7, "the example raised NameError", "fix it")
    assert str(copy) == str(error)


def test_a_run_whose_results_stop_coming_says_which_page_is_missing():
    run = CourseRun.expecting(["docs/a.md", "docs/b.md"], iter([PageRun("docs/a.md")]))
    run.wait_page("docs/a.md")
    with pytest.raises(CourseRunEnded, match="docs/b.md"):
        run.wait_page("docs/b.md")


def test_the_driver_makes_the_notebooks_of_the_lessons_asked_for(snippets):
    with RunnerProcess(repo=REPO, snippets_dir=snippets) as driver:
        run = driver.start_course(PAGES, lessons=frozenset({"docs/a.md"}))
        run.wait_all()
    assert set(run.notebooks) == {"docs/a.md"}
    made_here = dumps(lesson_notebook(PAGES["docs/a.md"], "docs/a.md", run.results["docs/a.md"], snippets))
    assert run.notebooks["docs/a.md"] == made_here
    assert "second 42" in run.notebooks["docs/a.md"]


def test_a_driver_that_died_is_started_again_for_the_next_build(snippets):
    with RunnerProcess(repo=REPO, snippets_dir=snippets) as driver:
        first = driver.start_course(PAGES)
        first.wait_all()
        driver._process.kill()  # as if it had crashed between two builds of mkdocs serve
        driver._process.wait()
        again = driver.start_course(PAGES)
        again.wait_all()
    assert again.results["docs/a.md"][1].output == "second 42\n"


def test_a_driver_that_dies_during_a_build_fails_that_build_with_its_exit_code(snippets):
    with RunnerProcess(repo=REPO, snippets_dir=snippets) as driver:
        run = driver.start_course(PAGES)
        driver._process.kill()
        with pytest.raises(RunnerError, match=r"ended unexpectedly \(exit code -9\)"):
            run.wait_all()

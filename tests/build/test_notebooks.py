"""Notebooks in real strict builds: notebook pages run like examples, lessons download as notebooks."""

from __future__ import annotations

import html
import json
import re
import socket
import sysconfig

import nbformat
import pytest

from courseware.notebooks.outputs import exception_value
from tests.build.conftest import build_site, make_project
from tests.conftest import REPO

PLAYGROUND = "lessons/email-playground"
LESSONS = sorted(path.stem for path in (REPO / "docs/lessons").glob("*.md"))


def cell(kind: str, source: str, **metadata) -> dict:
    made = {"cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        made.update(execution_count=None, outputs=[])
    return made


def notebook_json(*cells: dict) -> str:
    numbered = [{**made, "id": f"c{number}"} for number, made in enumerate(cells, start=1)]
    return json.dumps({"cells": numbered, "metadata": {"kernelspec": {"name": "my-laptop-env", "language": "python",
                                                                      "display_name": "Mine"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


# -- the course's own notebook ---------------------------------------------------------------

def test_the_playground_page_shows_every_cell_with_what_it_printed(course_build):
    page = course_build.page(f"{PLAYGROUND}.html")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "send_mail returned 1" in text
    assert "Message-ID: <20260601090000.1@mail.example.com>" in text
    assert "Subject: Welcome to Bookshelf, Sam O'Brien!" in text
    assert "['ada@example.com'] Your book is due []" in text
    assert 'TypeError: "to" argument must be a list or tuple' in text
    source = nbformat.read(REPO / f"docs/{PLAYGROUND}.ipynb", as_version=4)
    code_cells = [made for made in source.cells if made.cell_type == "code"]
    shown = re.findall(r'<div class="jp-Cell jp-CodeCell[^"]*" id="cell-id=([^"]+)"', page)
    assert shown == [made.id for made in code_cells]  # and not the cell that sets Django up
    assert not re.search(r'class="jp-Cell jp-CodeCell[^"]*jp-mod-noOutputs', page)  # every cell printed
    assert "COURSE_FILES" not in page


def test_the_playground_downloads_with_its_outputs_and_a_cell_that_sets_django_up(course_build):
    page = course_build.page(f"{PLAYGROUND}.html")
    assert 'href="email-playground.ipynb" download="email-playground.ipynb">Download this notebook</a>' in page
    downloaded = nbformat.read(course_build.site / f"{PLAYGROUND}.ipynb", as_version=4)
    nbformat.validate(downloaded)
    setup, *rest = downloaded.cells
    assert setup.metadata.tags == ["course-setup"] and "django.setup()" in setup.source
    assert all(made.outputs for made in rest if made.cell_type == "code")
    assert downloaded.metadata.kernelspec.name == "python3"


def test_the_playground_text_is_searchable(course_build):
    index = json.loads((course_build.site / "search/search_index.json").read_text(encoding="utf-8"))
    texts = " ".join(entry["title"] + " " + entry["text"] for entry in index["docs"]
                     if entry["location"].startswith(PLAYGROUND))
    assert "A sandbox for the" in texts and "Keep mail instead of printing it" in texts


def test_the_lesson_links_to_the_playground(course_build):
    assert 'href="email-playground.html">Email playground</a>' in course_build.page("lessons/sending-email.html")


def test_nothing_of_the_build_machine_reaches_a_notebook_or_its_page(course_build):
    for path in [course_build.site / f"{PLAYGROUND}.html", *course_build.site.rglob("*.ipynb")]:
        text = path.read_text(encoding="utf-8")
        for leak in (str(REPO), socket.gethostname(), "/tmp/pytest", ".cache/notebooks"):
            assert leak not in text, (path, leak)


def test_no_page_carries_the_mathjax_loader(course_build):
    for page in course_build.site.rglob("*.html"):
        assert "data-mkdocs-jupyter-mathjax" not in page.read_text(encoding="utf-8"), page


# -- every lesson as a notebook ----------------------------------------------------------------

@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_links_to_its_notebook_which_is_valid_nbformat_4(course_build, lesson):
    page = course_build.page(f"lessons/{lesson}.html")
    assert f'href="{lesson}.ipynb" download="{lesson}.ipynb">Download as notebook</a>' in page
    made = nbformat.read(course_build.site / f"lessons/{lesson}.ipynb", as_version=4)
    nbformat.validate(made)
    assert made.nbformat == 4 and made.cells[0].metadata.django_course == {"role": "setup"}


def page_outputs(page_html: str) -> list[tuple[str, str | None]]:
    """Each example of a page, in order: what it printed, and the exception line it shows, if any."""
    shown = []
    for chunk in page_html.split('<div class="course-run" ')[1:]:
        printed = re.search(r'<pre class="course-run__text"><code>(.*?)</code></pre>', chunk, re.S)
        raised = re.search(r'<pre class="course-run__traceback"><code>(.*?)</code></pre>', chunk, re.S)
        shown.append((html.unescape(printed.group(1)) if printed else "",
                      html.unescape(raised.group(1)) if raised else None))
    return shown


_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_PATHS = {sysconfig.get_path("purelib"): "site-packages", sysconfig.get_path("stdlib"): "python3", str(REPO): "course"}


def as_the_build_shows(text: str) -> str:
    """Kernel output with this machine's paths and memory addresses written as the build writes them."""
    for folder, shown in sorted(_PATHS.items(), key=lambda item: -len(item[0])):
        text = text.replace(folder, shown)
    return _ADDRESS.sub("0x…", text)


def interleaves(merged: str, first: str, second: str) -> bool:
    """Whether `merged` is the lines of `first` and of `second`, each in order (stdout and stderr)."""
    merged_lines, a, b = merged.splitlines(), first.splitlines(), second.splitlines()
    if len(merged_lines) != len(a) + len(b):
        return False
    reachable = {(0, 0)}
    for line in merged_lines:
        reachable = {(i + 1, j) for i, j in reachable if i < len(a) and a[i] == line} | \
                    {(i, j + 1) for i, j in reachable if j < len(b) and b[j] == line}
    return (len(a), len(b)) in reachable


def run_in_jupyter(path, tmp_path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    made = nbformat.read(path, as_version=4)
    NotebookClient(made, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    return made


def kernel_output(made_cell) -> tuple[str, str, tuple[str, str] | None]:
    streams = {"stdout": "", "stderr": ""}
    error = None
    for output in made_cell.outputs:
        if output.output_type == "stream":
            streams[output.name] += output.text
        elif output.output_type == "error":
            error = (output.ename, output.evalue)
        else:
            raise AssertionError(f"Jupyter showed {output.output_type} the page does not: {output}")
    return as_the_build_shows(streams["stdout"]), as_the_build_shows(streams["stderr"]), error


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_notebook_run_by_jupyter_prints_what_the_page_shows(course_build, lesson, tmp_path):
    made = run_in_jupyter(course_build.site / f"lessons/{lesson}.ipynb", tmp_path)
    ran = [made_cell for made_cell in made.cells if "line" in made_cell.metadata.get("django_course", {})]
    shown = page_outputs(course_build.page(f"lessons/{lesson}.html"))
    assert len(ran) == len(shown) > 0
    for made_cell, (printed, raised) in zip(ran, shown):
        where = f"lessons/{lesson}.md:{made_cell.metadata.django_course.line}"
        stdout, stderr, error = kernel_output(made_cell)
        assert interleaves(printed, stdout, stderr), f"{where}\npage:\n{printed}\njupyter:\n{stdout}{stderr}"
        if raised is None:
            assert error is None, f"{where}: Jupyter raised {error}"
        else:
            assert error is not None, f"{where}: the page shows an exception, Jupyter raised none"
            assert exception_value(raised, error[0]) == as_the_build_shows(error[1]), where


def test_the_downloaded_playground_run_by_jupyter_prints_what_the_page_shows(course_build, tmp_path):
    downloaded = nbformat.read(course_build.site / f"{PLAYGROUND}.ipynb", as_version=4)
    made = run_in_jupyter(course_build.site / f"{PLAYGROUND}.ipynb", tmp_path)
    for built, rerun in zip(downloaded.cells[1:], made.cells[1:]):
        if built.cell_type != "code":
            continue
        stdout, stderr, error = kernel_output(rerun)
        printed = "".join(output.text for output in built.outputs if output.output_type == "stream")
        assert interleaves(printed, stdout, stderr), built.source
        assert error == next(((output.ename, output.evalue) for output in built.outputs
                              if output.output_type == "error"), None)


# -- notebooks in small projects -----------------------------------------------------------

BROKEN = notebook_json(
    cell("markdown", "# Broken"),
    cell("code", "x = 1\nprint(x)"),
    cell("code", "y = 2\nprint(y / 0)"),
    cell("code", "print('never')"),
)


def test_a_failing_cell_fails_the_build_naming_the_notebook_and_the_cell(tmp_path):
    project = make_project(tmp_path / "project", {"broken.ipynb": BROKEN})
    build = build_site(project, tmp_path / "site")
    assert build.returncode != 0
    assert "docs/broken.ipynb: cell 3, line 2: the cell raised ZeroDivisionError: division by zero" in build.log
    assert "cell 4" not in build.log  # the session goes on after an exception, like Jupyter
    assert "1 example block(s) failed" in build.log


def test_math_in_a_notebook_fails_the_build_rather_than_load_mathjax(tmp_path):
    math = notebook_json(cell("markdown", "# Math\n\nThe area is $\\pi r^2$."), cell("code", "print(1)"))
    build = build_site(make_project(tmp_path / "project", {"math.ipynb": math}), tmp_path / "site")
    assert build.returncode != 0
    assert "docs/math.ipynb: the notebook has math, which needs MathJax" in build.log


PLAY = [cell("markdown", "# Play\n\nFirst words."),
        cell("code", "from django.core.mail import send_mail\n\n"
                     "sent = send_mail('Hi', 'Body', None, ['a@example.com'])"),
        cell("code", "print('sent', sent)")]

LESSON = """\
    # Intro

    ```python run
    from django.template.loader import render_to_string
    print(render_to_string("emails/welcome_subject.txt", {"name": "Ada"}))
    ```
    """


def report(path) -> dict[tuple[str, int], str]:
    return {(entry["page"], entry["line"]): entry["status"] for entry in json.loads(path.read_text())}


def test_a_notebook_reruns_only_when_its_code_changes_and_lesson_notebooks_are_stable(tmp_path):
    project = make_project(tmp_path / "project", {"play.ipynb": notebook_json(*PLAY), "lessons/intro.md": LESSON})
    env = {"COURSE_CACHE_DIR": str(tmp_path / "cache"), "COURSE_REPORT": str(tmp_path / "report.json")}
    first = build_site(project, tmp_path / "site1", **env)
    assert first.returncode == 0, first.log
    assert report(tmp_path / "report.json")[("docs/play.ipynb", 3)] == "ran"
    assert "sent 1" in first.page("play.html")

    (project / "docs/play.ipynb").write_text(notebook_json(cell("markdown", "# Play\n\nOther words."), *PLAY[1:]))
    second = build_site(project, tmp_path / "site2", **env)
    assert second.returncode == 0, second.log
    statuses = report(tmp_path / "report.json")
    assert (statuses[("docs/play.ipynb", 2)], statuses[("docs/play.ipynb", 3)]) == ("cached", "cached")
    assert "Other words." in second.page("play.html") and "sent 1" in second.page("play.html")
    assert (first.site / "lessons/intro.ipynb").read_bytes() == (second.site / "lessons/intro.ipynb").read_bytes()
    assert "'templates/emails/welcome_subject.txt'" in (second.site / "lessons/intro.ipynb").read_text()

    (project / "docs/play.ipynb").write_text(notebook_json(*PLAY[:2], cell("code", "print('sent:', sent)")))
    third = build_site(project, tmp_path / "site3", **env)
    assert third.returncode == 0, third.log
    assert report(tmp_path / "report.json")[("docs/play.ipynb", 3)] == "ran"


def test_without_execution_notebooks_render_as_saved_and_lessons_still_download(tmp_path):
    project = make_project(tmp_path / "project", {"play.ipynb": notebook_json(*PLAY), "lessons/intro.md": LESSON})
    build = build_site(project, tmp_path / "site", COURSE_EXECUTE="off")
    assert build.returncode == 0, build.log
    assert "First words." in build.page("play.html") and "sent 1" not in build.page("play.html")
    lesson = nbformat.read(build.site / "lessons/intro.ipynb", as_version=4)
    assert all(not made.outputs for made in lesson.cells if made.cell_type == "code")


def test_python_files_under_docs_never_become_pages(tmp_path):
    project = make_project(tmp_path / "project", {"index.md": "# Home\n"})
    (project / "docs/helper.py").write_text("print('I am not a page')\n")
    build = build_site(project, tmp_path / "site")
    assert build.returncode == 0, build.log
    assert not (build.site / "helper.html").exists()

"""Notebook pages: code cells become one session's blocks, outputs go back into the cells."""

from __future__ import annotations

import json

import nbformat
import pytest

from courseware.blocks import SourceLine
from courseware.cache import ResultCache
from courseware.errors import AuthorError
from courseware.notebooks import SETUP_TAG, dumps, finish_notebook, read_notebook
from courseware.notebooks.outputs import block_outputs, cell_error, exception_value, executed_notebook
from courseware.runner import BlockResult
from tests.conftest import SNIPPETS

PATH = "docs/lessons/play.ipynb"


def notebook(*cells: tuple[str, str], **metadata) -> str:
    """A notebook's JSON from (cell_type, source) pairs; a third item is the cell's metadata."""
    made = []
    for number, (kind, source, *extra) in enumerate(cells, start=1):
        cell = {"cell_type": kind, "id": f"c{number}", "metadata": extra[0] if extra else {}, "source": source}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        made.append(cell)
    return json.dumps({"cells": made, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def test_code_cells_are_the_blocks_of_one_session_numbered_like_the_notebook():
    page = read_notebook(notebook(("markdown", "# Play"), ("code", "x = 1"), ("markdown", "More"),
                                  ("code", "print(x)\n"), ("code", "   \n")), PATH)
    assert not page.problems
    assert [(block.line, block.code) for block in page.blocks] == [(2, "x = 1\n"), (4, "print(x)\n")]
    assert all(block.page == PATH and not block.options.isolated for block in page.blocks)


def test_editing_a_markdown_cell_changes_no_cache_key(tmp_path):
    cache = ResultCache(tmp_path, SNIPPETS, SNIPPETS / "course_settings.py")
    before = read_notebook(notebook(("markdown", "# Play"), ("code", "x = 1"), ("code", "print(x)")), PATH)
    after = read_notebook(notebook(("markdown", "# Play, with\n\nmore words"), ("code", "x = 1"),
                                   ("code", "print(x)")), PATH)
    edited = read_notebook(notebook(("markdown", "# Play"), ("code", "x = 2"), ("code", "print(x)")), PATH)
    assert cache.session_keys(after.blocks) == cache.session_keys(before.blocks)
    assert cache.session_keys(edited.blocks)[1] != cache.session_keys(before.blocks)[1]


def test_jupyter_raises_exception_tag_and_course_metadata_give_block_options():
    page = read_notebook(notebook(
        ("code", "1 / 0", {"tags": ["raises-exception"]}),
        ("code", "print(2)", {"course": {"timeout": 20, "warnings": "show"}}),
        ("code", "int('x')", {"course": {"raises": "ValueError"}}),
    ), PATH)
    assert not page.problems
    first, second, third = (block.options for block in page.blocks)
    assert first.raises == "BaseException"
    assert (second.timeout, second.warnings, second.raises) == (20.0, "show", None)
    assert third.raises == "ValueError"


@pytest.mark.parametrize("cell, message", [
    (("code", "x = 1", {"course": {"isolated": True}}), "cell 1: unknown course option(s) isolated"),
    (("code", "x = 1", {"course": {"timeout": 600}}), "cell 1: timeout='600' is not a number of seconds"),
    (("code", "%timeit sum(range(9))"), "cell 1, line 1: `%timeit` is IPython syntax"),
    (("code", "x = 1\n!pip install django"), "cell 1, line 2: `!pip` is IPython syntax"),
    (("code", "from django.core import mail\nmail.outbox"), "cell 1 ends with an expression"),
    (("code", "len([1, 2])  # two"), "cell 1 ends with an expression"),
])
def test_cells_the_build_cannot_run_as_jupyter_would_are_errors_naming_the_cell(cell, message):
    page = read_notebook(notebook(cell), PATH)
    assert [problem.path for problem in page.problems] == [PATH]
    assert message in str(page.problems[0])


@pytest.mark.parametrize("code", ["print(1)", "x = 1", "len([1, 2]);", "len([1, 2]);  # quiet",
                                  "if True:\n    len([])\n",
                                  'text = """\n%d books\n!\n"""\nprint(text % 3)'])
def test_cells_that_show_only_what_they_print_are_accepted(code):
    assert not read_notebook(notebook(("code", code)), PATH).problems


def test_a_cell_that_may_raise_may_end_with_an_expression():
    assert not read_notebook(notebook(("code", "int('x')", {"tags": ["raises-exception"]})), PATH).problems


@pytest.mark.parametrize("text, message", [
    ("{not json", "is not a notebook: its JSON does not parse"),
    (json.dumps({"cells": [], "nbformat": 3}), "is not an nbformat 4 notebook"),
    (notebook(("code", "1"), kernelspec={"language": "R", "name": "ir"}), "is a R notebook"),
])
def test_a_file_that_is_not_a_python_notebook_is_an_error(text, message):
    page = read_notebook(text, PATH)
    assert message in str(page.problems[0]) and not page.blocks


def result_of(page, number: int, **fields) -> BlockResult:
    return BlockResult(next(block for block in page.blocks if block.line == number), **fields)


def test_a_failed_cell_is_reported_with_the_notebook_the_cell_and_its_line():
    page = read_notebook(notebook(("markdown", "# Play"), ("code", "x = 1\nprint(1 / 0)"), ("code", "print(x)")), PATH)
    failed = result_of(page, 2, traceback="ZeroDivisionError: division by zero\n",
                       exception_type="ZeroDivisionError",
                       error=AuthorError(f"{PATH}#cell-2", 2, "the example raised ZeroDivisionError: division by zero",
                                         'fix the example, or mark it raises="ZeroDivisionError" if the error is '
                                         "the point"))
    skipped = result_of(page, 3, error=AuthorError(PATH, 3, "not run: its session ended at the block on line 2",
                                                   "fix that block first"))
    first, second = cell_error(page, failed), cell_error(page, skipped)
    assert str(first).startswith(f"{PATH}: cell 2, line 2: the cell raised ZeroDivisionError: division by zero")
    assert "tag raises-exception" in first.hint and "raises=" not in first.hint
    assert str(second).startswith(f"{PATH}: cell 3: not run: its session ended at cell 2")


def test_a_cell_tagged_raises_exception_that_raises_nothing_is_named_so():
    page = read_notebook(notebook(("code", "x = 1", {"tags": ["raises-exception"]})), PATH)
    result = result_of(page, 1, error=AuthorError(PATH, 1, 'the block is marked raises="BaseException" but '
                                                  "raised nothing", "make the example raise, or remove raises="))
    assert str(cell_error(page, result)).startswith(f"{PATH}: cell 1: the cell is tagged raises-exception but "
                                                    "raised nothing")


def test_outputs_are_a_stream_and_an_error_with_the_short_traceback():
    page = read_notebook(notebook(("code", "print('hi')\nint('x')", {"tags": ["raises-exception"]})), PATH)
    traceback = ('Traceback (most recent call last):\n  File "<block 1>", line 2, in <module>\n'
                 "ValueError: invalid literal for int() with base 10: 'x'\n")
    outputs = block_outputs(result_of(page, 1, output="hi\n", traceback=traceback, exception_type="ValueError"))
    assert outputs == [
        {"name": "stdout", "output_type": "stream", "text": "hi\n"},
        {"ename": "ValueError", "evalue": "invalid literal for int() with base 10: 'x'", "output_type": "error",
         "traceback": traceback.rstrip("\n").split("\n")},
    ]
    assert block_outputs(None) == []


@pytest.mark.parametrize("traceback, name, value", [
    ("Traceback...\nsmtplib.SMTPException: no server\n", "SMTPException", "no server"),
    ("KeyError: 'x'\n", "KeyError", "'x'"),
    ("StopIteration\n", "StopIteration", ""),
    ("ValueError: first line\nsecond line\n", "ValueError", "first line\nsecond line"),
])
def test_the_exception_value_is_read_back_from_the_traceback(traceback, name, value):
    assert exception_value(traceback, name) == value


def test_the_executed_notebook_has_the_outputs_counts_the_setup_cell_and_the_standard_kernel():
    text = notebook(("markdown", "# Play"), ("code", "print(1)"), ("code", ""), ("code", "print(2)"),
                    kernelspec={"name": "django-env-on-my-laptop", "language": "python", "display_name": "Mine"})
    page = read_notebook(text, PATH)
    results = [result_of(page, 2, output="1\n"), result_of(page, 4, output="2\n")]
    executed = executed_notebook(page, results, {"cell_type": "code", "execution_count": None, "metadata": {},
                                                 "outputs": [], "source": "# setup"})
    nbformat.validate(nbformat.from_dict(executed))
    cells = executed["cells"]
    assert cells[0]["id"] == "course-setup" and cells[0]["execution_count"] is None
    assert [cell.get("execution_count") for cell in cells[1:]] == [None, 1, None, 2]
    assert cells[2]["outputs"][0]["text"] == "1\n" and cells[3]["outputs"] == []
    assert executed["metadata"]["kernelspec"]["name"] == "python3"
    assert json.loads(text)["cells"][1]["outputs"] == []  # the page's notebook itself is left alone


def test_finish_notebook_writes_json_as_nbformat_does_with_a_setup_cell_the_page_leaves_out():
    page = read_notebook(notebook(("markdown", "# Email play"), ("code", "print(1)")), PATH)
    text = finish_notebook(page, [result_of(page, 2, output="1\n", reads=("templates/emails/welcome.txt",))],
                           SNIPPETS)
    parsed = nbformat.reads(text, as_version=4)
    nbformat.validate(parsed)
    assert text == nbformat.writes(parsed) + "\n"
    setup = parsed.cells[0]
    assert setup.metadata.tags == [SETUP_TAG]
    assert 'built "Email play"' in setup.source and "'templates/emails/welcome.txt'" in setup.source


def test_dumps_is_byte_for_byte_what_nbformat_writes():
    made = {"cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {}, "source": "a\nb\n",
                       "outputs": [{"name": "stdout", "output_type": "stream", "text": "é\n\nx"}]},
                      {"cell_type": "markdown", "id": "b", "metadata": {}, "source": ""}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    assert dumps(made) == nbformat.writes(nbformat.from_dict(made)) + "\n"


def test_cell_lines_are_named_apart_from_the_cell_for_error_messages():
    page = read_notebook(notebook(("code", "a = 1\nb = 2")), PATH)
    assert page.blocks[0].origin(2) == SourceLine(f"{PATH}#cell-1", 2)
    assert page.blocks[0].origin(0) == SourceLine(PATH, 1)

"""A lesson as a notebook: prose as Markdown Jupyter understands, run blocks as cells with the build's output."""

from __future__ import annotations

import textwrap

import nbformat
import pytest

from courseware.blocks import scan_page
from courseware.notebooks import dumps, lesson_notebook, notebook_name
from courseware.notebooks.markdown import jupyter_cells
from courseware.notebooks.setup_cell import course_files, setup_source
from courseware.runner import BlockResult
from tests.conftest import SNIPPETS

PAGE = "docs/lessons/lesson.md"

LESSON = """\
    ---
    title: A Lesson
    summary: Something.
    ---

    # A Lesson

    Intro.

    ```python run
    from django.core.mail import send_mail
    ```

    !!! tip "Remember"
        Keep it short.

        ```python run
        sent = send_mail("Hi", "Body", None, ["ada@example.com"])
        sent
        ```

        Still in the tip.

    ## Errors

    ```python run raises="TypeError"
    send_mail("Hi", "Body", None, "ada@example.com")
    ```

    ```python run isolated
    print("fresh")
    ```
    """


def results_for(source: str, **by_line) -> list[BlockResult]:
    blocks, errors = scan_page(source, PAGE, SNIPPETS)
    assert not errors
    return [BlockResult(block, **by_line.get(f"line_{block.line}", {})) for block in blocks]


@pytest.fixture()
def lesson() -> tuple[str, list[BlockResult]]:
    source = textwrap.dedent(LESSON)
    results = results_for(source, line_17={"output": "Content-Type: text/plain\n", "reads": ("files/report.csv",)},
                          line_26={"traceback": "Traceback...\nTypeError: \"to\" argument must be a list or tuple\n",
                                   "exception_type": "TypeError"},
                          line_30={"output": "fresh\n", "reads": ("templates/emails/welcome.txt",)})
    return source, results


def code_cells(made: dict) -> list[dict]:
    return [cell for cell in made["cells"] if cell["cell_type"] == "code"]


def test_the_notebook_is_valid_nbformat_4_and_the_same_bytes_every_time(lesson):
    source, results = lesson
    first = dumps(lesson_notebook(source, PAGE, results, SNIPPETS))
    assert first == dumps(lesson_notebook(source, PAGE, results, SNIPPETS))
    parsed = nbformat.reads(first, as_version=4)
    nbformat.validate(parsed)
    assert parsed.nbformat == 4 and parsed.metadata.kernelspec.name == "python3"
    assert len({cell.id for cell in parsed.cells}) == len(parsed.cells)


def test_the_first_cell_sets_django_up_with_the_course_settings_and_the_files_the_examples_read(lesson):
    source, results = lesson
    setup = lesson_notebook(source, PAGE, results, SNIPPETS)["cells"][0]
    code = setup["source"]
    assert setup["cell_type"] == "code" and setup["execution_count"] is None and setup["outputs"] == []
    assert 'os.environ["DJANGO_SETTINGS_MODULE"] = "course_settings"' in code
    assert "sys.path.insert(0, str(snippets))" in code
    assert (SNIPPETS / "course_settings.py").read_text() in code
    assert "'files/report.csv'" in code and "'templates/emails/welcome.txt'" in code
    assert "'templates/emails/welcome.html'" not in code  # not read by this lesson
    compile(code, "setup", "exec")


def test_the_setup_cell_recreates_the_files_exactly(tmp_path):
    files = {"course_settings.py": b'X = """a"""\n', "files/data.bin": bytes(range(256)),
             "templates/quote.txt": b"it's '''here'''\n", "templates/plain.txt": b"Hi {{ name }}\\n\n"}
    code = setup_source("T", "course_settings", files)
    namespace: dict = {}
    exec(compile(code.split("snippets = Path(")[0], "setup", "exec"), namespace)  # only the COURSE_FILES part
    assert {name: (content.encode() if isinstance(content, str) else content)
            for name, content in namespace["COURSE_FILES"].items()} == files
    assert "r'''Hi {{ name }}\\n\n'''" in code  # readable where that is exact


def test_without_results_the_setup_cell_carries_all_templates_and_files():
    files = course_files(None, SNIPPETS, "course_settings")
    assert "course_settings.py" in files and "files/report.csv" in files
    assert "templates/emails/welcome.html" in files


def test_run_blocks_are_code_cells_with_the_build_outputs_in_order(lesson):
    source, results = lesson
    cells = code_cells(lesson_notebook(source, PAGE, results, SNIPPETS))
    blocks = [cell for cell in cells if "line" in cell["metadata"]["django_course"]]
    assert [cell["metadata"]["django_course"]["line"] for cell in blocks] == [10, 17, 26, 30]
    assert [cell["execution_count"] for cell in blocks] == [1, 2, 3, 4]
    assert blocks[0]["source"] == "from django.core.mail import send_mail" and blocks[0]["outputs"] == []
    assert blocks[1]["outputs"] == [{"name": "stdout", "output_type": "stream", "text": "Content-Type: text/plain\n"}]
    error = blocks[2]["outputs"][0]
    assert (error["output_type"], error["ename"], error["evalue"]) == (
        "error", "TypeError", '"to" argument must be a list or tuple')
    assert blocks[2]["metadata"]["tags"] == ["raises-exception"]


def test_a_last_expression_the_page_does_not_show_is_kept_quiet_with_a_semicolon(lesson):
    source, results = lesson
    cells = code_cells(lesson_notebook(source, PAGE, results, SNIPPETS))
    assert cells[2]["source"].endswith('\nsent;')
    assert cells[3]["source"] == 'send_mail("Hi", "Body", None, "ada@example.com")'  # raises: left as written


def test_an_isolated_block_is_preceded_by_a_new_session(lesson):
    source, results = lesson
    cells = code_cells(lesson_notebook(source, PAGE, results, SNIPPETS))
    assert cells[-2]["source"].startswith("start_session()") and cells[-2]["execution_count"] is None
    assert cells[-1]["source"] == 'print("fresh")'


def test_prose_becomes_markdown_cells_without_front_matter_and_tips_become_quotes(lesson):
    source, results = lesson
    markdown = [cell["source"] for cell in lesson_notebook(source, PAGE, results, SNIPPETS)["cells"]
                if cell["cell_type"] == "markdown"]
    assert markdown[0] == "# A Lesson\n\nIntro."
    assert markdown[1] == "> **Remember**\n>\n> Keep it short."
    assert markdown[2] == "> Still in the tip."
    assert markdown[3] == "## Errors"
    assert "summary:" not in "".join(markdown)


def test_without_results_code_cells_have_no_outputs(lesson):
    source, _ = lesson
    cells = code_cells(lesson_notebook(source, PAGE, None, SNIPPETS))
    assert all(cell["outputs"] == [] for cell in cells)


def test_the_notebook_is_named_after_the_page():
    assert notebook_name("lessons/sending-email.md") == "lessons/sending-email.ipynb"


def convert(markdown: str) -> list:
    return jupyter_cells(textwrap.dedent(markdown).split("\n"), SNIPPETS)


def test_details_blocks_and_their_options_become_a_titled_quote():
    assert convert("""\
        /// details | Show the answer
            type: success

        It is `1`.
        ///
        After.
        """) == ["> **Show the answer**\n>\n> It is `1`.\n\nAfter."]


def test_content_tabs_become_labelled_sections_and_snippets_are_included():
    cells = convert("""\
        === "welcome_subject.txt"

            ```django
            --8<-- "templates/emails/welcome_subject.txt"
            ```

        === "Other"

            Text.
        """)
    subject = (SNIPPETS / "templates/emails/welcome_subject.txt").read_text().rstrip("\n")
    assert cells == [f"**welcome_subject.txt**\n\n```django\n{subject}\n```\n\n**Other**\n\nText."]


def test_fences_keep_their_language_and_show_their_title():
    assert convert("""\
        ```python title="settings.py" hl_lines="2"
        A = 1
        ```
        """) == ['*settings.py*\n\n```python\nA = 1\n```']


def test_a_run_block_inside_a_quote_splits_it_and_the_quote_goes_on():
    marker = object()
    cells = jupyter_cells(["!!! note", "    Before.", "", marker, "", "    After.", "", "Out."], SNIPPETS)
    assert cells == ["> **Note**\n>\n> Before.", marker, "> After.\n\nOut."]


def test_top_level_headings_start_a_new_cell_and_in_page_links_use_jupyter_ids():
    cells = convert("""\
        See [the errors](#common-errors-send_mail) below.

        ## Common errors: `send_mail()`

        Text.
        """)
    assert cells == ["See [the errors](#Common-errors:-send_mail()) below.", "## Common errors: `send_mail()`\n\nText."]


def test_fences_inside_prose_are_copied_as_they_are():
    assert convert("""\
        ````markdown
        !!! tip
        ```python run
        x = 1
        ```
        ````
        """) == ["````markdown\n!!! tip\n```python run\nx = 1\n```\n````"]


def test_a_quiz_question_folds_its_answer_away():
    assert convert("""\
        /// question | Which function sends mail?
            id: sender

        - [ ] `mail()`
        - [x] `send_mail()`
          > It takes four arguments.

        Django has no `mail()`.
        ///
        """) == ["**Which function sends mail?**\n\n- `mail()`\n- `send_mail()`\n\n"
                 "<details><summary>Answer</summary>\n\n**Answer:** `send_mail()`\n\nDjango has no `mail()`.\n\n"
                 "</details>"]


def test_a_fill_in_exercise_shows_blanks_not_answers():
    assert convert("""\
        ```python fill
        assert sent == {~1~}
        assert {~send_mass_mail~}(notices) == {~3|len(notices)~}
        ```
        """) == ["```python\nassert sent == ____\nassert ____(notices) == ____\n```"]

"""Finding run blocks in a page: lines, options, includes, and mistakes named by line."""

from __future__ import annotations

import textwrap

import pytest

from courseware.blocks import DEFAULT_TIMEOUT, scan_page
from tests.conftest import SNIPPETS


def scan(markdown: str):
    return scan_page(textwrap.dedent(markdown), "docs/page.md", SNIPPETS)


def test_a_run_block_is_found_with_the_line_of_its_opening_fence():
    blocks, errors = scan("""\
        # Title

        ```python run
        print("hi")
        ```
        """)
    assert errors == []
    assert [(block.line, block.code) for block in blocks] == [(3, 'print("hi")\n')]
    assert blocks[0].options.timeout == DEFAULT_TIMEOUT


def test_plain_python_fences_and_other_languages_are_not_run():
    blocks, errors = scan("""\
        ```python
        print("shown only")
        ```

        ```bash run
        echo no
        ```
        """)
    assert blocks == [] and errors == []


def test_a_run_fence_inside_a_longer_fence_is_text_as_superfences_sees_it():
    blocks, _ = scan("""\
        ````markdown
        ```python run
        print("an example of the syntax")
        ```
        ````
        """)
    assert blocks == []


def test_indented_blocks_in_admonitions_and_tabs_are_dedented():
    blocks, _ = scan("""\
        !!! note

            ```python run
            if True:
                print("nested")
            ```
        """)
    assert blocks[0].code == 'if True:\n    print("nested")\n'
    assert blocks[0].line == 3


def test_options_are_parsed():
    blocks, errors = scan("""\
        ```python run isolated raises="TypeError" timeout="12" warnings="show" title="demo.py"
        x = 1
        ```
        """)
    assert errors == []
    options = blocks[0].options
    assert (options.isolated, options.raises, options.timeout, options.warnings) == (True, "TypeError", 12.0, "show")


@pytest.mark.parametrize(("header", "message"), [
    ('python run raise="TypeError"', "unknown option 'raise'"),
    ('python run isolate', "unknown option 'isolate'"),
    ('python run timeout="soon"', "timeout='soon' is not a number of seconds"),
    ('python run timeout="600"', "timeout='600' is not a number of seconds"),
    ('python run warnings="ignore"', "warnings='ignore' is not understood"),
    ('python run raises="not a name"', "raises='not a name' is not an exception name"),
])
def test_a_mistyped_option_is_an_error_naming_the_page_and_line(header, message):
    blocks, errors = scan(f"""\
        Some text.

        ```{header}
        x = 1
        ```
        """)
    assert blocks == []
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"docs/page.md:3: {message}")
    assert "how to fix:" in str(errors[0])


def test_an_unclosed_run_block_is_an_error():
    _, errors = scan("""\
        ```python run
        print(1)
        """)
    assert [str(error).splitlines()[0] for error in errors] == [
        "docs/page.md:1: this `python run` block is never closed"]


def test_includes_are_expanded_and_lines_traced_back_to_their_file():
    blocks, errors = scan("""\
        ```python run
        --8<-- "bookshelf/emails.py"
        welcome = 1
        ```
        """)
    assert errors == []
    block = blocks[0]
    included = (SNIPPETS / "bookshelf/emails.py").read_text().rstrip("\n").split("\n")
    assert block.code.split("\n")[: len(included)] == included
    assert block.includes == ("bookshelf/emails.py",)
    first = block.origin(1)
    assert (first.path, first.line) == ("snippets/bookshelf/emails.py", 1)
    last = block.origin(len(included) + 1)
    assert (last.path, last.line) == ("docs/page.md", 3)


def test_a_missing_or_escaping_include_is_an_error():
    _, errors = scan("""\
        ```python run
        --8<-- "nope.py"
        ```

        ```python run
        --8<-- "../mkdocs.yml"
        ```
        """)
    assert [error.line for error in errors] == [2, 6]
    assert "'nope.py' is not in snippets/" in str(errors[0])
    assert "'../mkdocs.yml' is not in snippets/" in str(errors[1])


def test_line_ranges_of_includes():
    blocks, _ = scan("""\
        ```python run
        --8<-- "course_settings.py:1:3"
        ```
        """)
    expected = (SNIPPETS / "course_settings.py").read_text().split("\n")[:3]
    assert blocks[0].code.rstrip("\n").split("\n") == expected
    assert blocks[0].origin(3).line == 3

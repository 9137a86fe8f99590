"""The run fence in a bare markdown.Markdown: output placed under the code, escaped."""

from __future__ import annotations

import textwrap

import markdown

from courseware.blocks import RunOptions, SourceLine, RunBlock
from courseware.errors import AuthorError
from courseware.fence import RunFence
from courseware.runner import BlockResult

PAGE = "docs/page.md"


def block(code: str, line: int = 1, **options) -> RunBlock:
    return RunBlock(PAGE, line, code, RunOptions(**options), (SourceLine(PAGE, line + 1),))


def render(source: str, results: list[BlockResult], fence: RunFence | None = None) -> str:
    fence = fence or RunFence()
    fence.start_page(PAGE)
    md = markdown.Markdown(extensions=["pymdownx.superfences", "pymdownx.highlight", "admonition"],
                           extension_configs={"pymdownx.superfences": {"custom_fences": [fence.superfence()]}})
    content = md.convert(textwrap.dedent(source))
    fence.set_results(PAGE, results)  # results come in after the page is rendered
    return fence.fill_outputs(PAGE, content)


def test_output_is_placed_under_the_highlighted_code_and_escaped():
    html = render("""\
        ```python run
        print("<script>alert(1)</script>")
        ```
        """, [BlockResult(block('print("<script>alert(1)</script>")\n'),
                          output="<script>alert(1)</script> **not bold**\n")])
    assert '<div class="course-run" data-run-status="ok">' in html
    assert '<span class="nb">print</span>' in html  # highlighted by pymdownx.highlight
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **not bold**" in html
    assert "<script>" not in html.replace("&lt;script&gt;", "")
    assert html.index("course-run__output") > html.index('<span class="nb">print</span>')


def test_an_expected_exception_shows_its_traceback_under_a_label_naming_it():
    html = render("""\
        ```python run raises="TypeError"
        boom()
        ```
        """, [BlockResult(block("boom()\n", raises="TypeError"), traceback="Traceback ...\nTypeError: <no>\n",
                          exception_type="TypeError")])
    assert 'data-run-status="raised"' in html
    assert 'aria-label="Output: raises TypeError"' in html
    assert '<pre class="course-run__traceback"><code>Traceback ...\nTypeError: &lt;no&gt;\n</code></pre>' in html


def test_a_block_that_printed_nothing_says_so():
    html = render("```python run\nx = 1\n```\n", [BlockResult(block("x = 1\n"))])
    assert "This example printed nothing." in html


def test_a_failed_block_shows_the_error_in_the_page():
    error = AuthorError(PAGE, 2, "the example raised ZeroDivisionError: division by zero", "fix it")
    html = render("```python run\n1/0\n```\n", [BlockResult(block("1/0\n"), error=error)])
    assert 'data-run-status="failed"' in html
    assert 'role="alert"' in html
    assert "docs/page.md:2: the example raised ZeroDivisionError" in html


def test_a_run_block_without_a_result_is_a_problem_not_a_silent_pass():
    fence = RunFence()
    html = render("```python run\nprint(1)\n```\n", [], fence)
    assert "was not found when the page was scanned" in html
    assert [problem.path for problem in fence.problems] == [PAGE]


def test_identical_blocks_get_their_own_results_in_page_order():
    results = [BlockResult(block("print(n)\n", line=1), output="1\n"),
               BlockResult(block("print(n)\n", line=5), output="2\n")]
    html = render("```python run\nprint(n)\n```\n\ntext\n\n```python run\nprint(n)\n```\n", results)
    assert html.index("<code>1\n</code>") < html.index("<code>2\n</code>")


def test_plain_python_fences_are_left_to_the_highlighter():
    html = render("```python\nprint(1)\n```\n", [])
    assert "course-run" not in html and '<span class="nb">print</span>' in html


def test_with_execution_off_only_the_code_is_shown():
    fence = RunFence()
    fence.execute = False
    html = render("```python run\nprint(1)\n```\n", [], fence)
    assert "course-run" in html and "course-run__output" not in html and not fence.problems


def test_outputs_are_kept_out_of_the_search_index():
    html = render("```python run\nprint(1)\n```\n", [BlockResult(block("print(1)\n"), output="1\n")])
    assert '<div class="course-run__output" role="group" aria-label="Output" data-search-exclude>' in html


def test_a_page_renders_before_its_results_exist_and_the_finished_page_gets_them():
    fence = RunFence()
    fence.start_page(PAGE)
    md = markdown.Markdown(extensions=["pymdownx.superfences"],
                           extension_configs={"pymdownx.superfences": {"custom_fences": [fence.superfence()]}})
    content = md.convert("```python run\nprint(1)\n```\n\n```python run\n1/0\n```\n")
    # What the search indexer sees: the code, no output, no status yet.
    assert "one" not in content and "<!--course-run-result:0-->" in content
    assert 'data-run-status="pending-1"' in content
    error = AuthorError(PAGE, 6, "the example raised ZeroDivisionError", "fix it")
    fence.set_results(PAGE, [BlockResult(block("print(1)\n"), output="one\n"),
                             BlockResult(block("1/0\n", line=5), error=error)])
    page = fence.fill_outputs(PAGE, f"<html><body>{content}</body></html>")
    assert "<code>one\n</code>" in page and "course-run-result" not in page and "pending" not in page
    assert page.index('data-run-status="ok"') < page.index("<code>one\n</code>")
    assert page.index("<code>one\n</code>") < page.index('data-run-status="failed"') < page.index("ZeroDivisionError")
    assert not fence.problems


def test_a_page_rendered_again_starts_afresh():
    fence = RunFence()
    md = markdown.Markdown(extensions=["pymdownx.superfences"],
                           extension_configs={"pymdownx.superfences": {"custom_fences": [fence.superfence()]}})
    fence.start_page(PAGE)
    md.convert("```python run\nprint(1)\n```\n")  # a build that stopped before the page was finished
    fence.start_page(PAGE)
    content = md.reset().convert("```python run\nprint(2)\n```\n")
    fence.set_results(PAGE, [BlockResult(block("print(2)\n"), output="two\n")])
    assert "<code>two\n</code>" in fence.fill_outputs(PAGE, content)
    assert not fence.problems


def test_an_output_whose_placeholder_vanished_is_a_problem():
    fence = RunFence()
    fence.set_results(PAGE, [BlockResult(block("print(1)\n"), output="one\n")])
    fence.current_page = PAGE
    md = markdown.Markdown(extensions=["pymdownx.superfences"],
                           extension_configs={"pymdownx.superfences": {"custom_fences": [fence.superfence()]}})
    md.convert("```python run\nprint(1)\n```\n")
    fence.fill_outputs(PAGE, "<html>a template that dropped the content</html>")
    assert [problem.message for problem in fence.problems] == ["an example's output had no place in the page"]

"""Notebooks: notebook pages run by the course's runner, and every lesson as a notebook.

Plain Python, no MkDocs imports. mkdocs-jupyter renders notebook pages; this
package decides what it renders:

- `read_notebook(text, path)`: a notebook page (`docs/**/*.ipynb`) as the
  blocks of one session, one per code cell (see source.py). The build runs
  them with the pages' blocks (execution.CourseExecution's `notebooks`), so they get
  the same settings, sandbox, limits and results cache; Markdown cells are in
  no cache key.
- `finish_notebook(page, results, snippets_dir)`: the errors of failed cells
  reworded to name the notebook and the cell, and the notebook as JSON with
  the build's outputs in it and a first cell that sets Django up (tagged
  `course-setup`, which the page leaves out), for mkdocs-jupyter to render
  and for readers to download and run in a plain Jupyter.
- `lesson_notebook(source, page, results, snippets_dir)`: a Markdown lesson
  as a notebook that runs from top to bottom in a plain Jupyter (lesson.py);
  `dumps()` writes any notebook the way nbformat does.
- `html`: the download link under a page's title, mkdocs-jupyter's MathJax
  loader removed (it fetches MathJax from a CDN), and math detection.
"""

from __future__ import annotations

from pathlib import Path

from ..runner import BlockResult
from .html import has_math, with_download_link, without_mathjax_loader
from .lesson import lesson_notebook, notebook_name
from .outputs import cell_error, dumps, executed_notebook
from .setup_cell import SETUP_TAG, setup_cell
from .source import NotebookPage, cell_source, read_notebook


def finish_notebook(page: NotebookPage, results: list[BlockResult], snippets_dir: Path,
                    settings_module: str = "course_settings") -> str:
    """Reword failed cells' errors (in place) and return the executed notebook's JSON.

    Its first cell sets Django up as the build did, so that the notebook runs
    in a plain Jupyter once downloaded; the page does not show that cell.
    """
    for result in results:
        if result.failed:
            result.error = cell_error(page, result)
    setup = setup_cell(notebook_title(page), results, snippets_dir, settings_module)
    return dumps(executed_notebook(page, results, setup))


def notebook_title(page: NotebookPage) -> str:
    """The first `# Title` of its Markdown cells, or its file name."""
    for cell in page.notebook.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "markdown":
            for line in cell_source(cell).split("\n"):
                if line.startswith("# "):
                    return line[2:].strip()
    return page.path.rsplit("/", 1)[-1]


def is_lesson(src_uri: str) -> bool:
    """Markdown pages under docs/lessons/ are lessons, and get a notebook."""
    return src_uri.startswith("lessons/") and src_uri.endswith(".md")


__all__ = ["SETUP_TAG", "NotebookPage", "dumps", "finish_notebook", "has_math", "is_lesson", "lesson_notebook",
           "notebook_name", "read_notebook", "with_download_link", "without_mathjax_loader"]

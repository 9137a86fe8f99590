"""A Markdown lesson as a Jupyter notebook that runs from top to bottom.

The first cell sets Django up as the build did (see setup_cell.py). Then the
lesson follows: its prose as Markdown cells, each run block as a code cell
carrying what the build printed (a `stream` output) or the error it was meant
to raise (an `error` output, with Jupyter's `raises-exception` tag so that
"Run all" goes on). An `isolated` block is preceded by a one-line cell that
starts a new session, as the page did.

The build runs blocks as scripts and shows only what they print; Jupyter also
shows the value of a cell's last expression. A cell whose last line would show
a value the page does not gets a `;`, Jupyter's way of keeping it quiet.

The same lesson and results give the same bytes: cell ids are numbered, and
nothing of the machine or the moment is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..blocks import RunBlock, scan_page
from ..runner import BlockResult
from .markdown import jupyter_cells
from .outputs import KERNELSPEC, LANGUAGE_INFO, block_outputs
from .setup_cell import METADATA_KEY, setup_cell
from .source import RAISES_TAG, ends_with_shown_expression, last_token

_FENCE_OPEN = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")
_TITLE = re.compile(r"""^title:[ \t]*(?P<quote>["']?)(?P<title>.+?)(?P=quote)[ \t]*$""")
_H1 = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t#]*$")


def lesson_notebook(source: str, page: str, results: list[BlockResult] | None, snippets_dir: Path,
                    settings_module: str = "course_settings") -> dict:
    """The notebook of the lesson `page` (its source as the build read it, and the build's results).

    `results` is None when examples were not run (COURSE_EXECUTE=off): the
    code cells then have no outputs.
    """
    blocks, _problems = scan_page(source, page, snippets_dir)  # the build reports the problems
    by_line = {result.block.line: result for result in results or []}
    body, title = _body(source, blocks)
    count = 0  # execution counts number the cells the build ran
    cells = [setup_cell(title, results, snippets_dir, settings_module)]
    for item in jupyter_cells(body, snippets_dir):
        if isinstance(item, str):
            cells.append({"cell_type": "markdown", "metadata": {}, "source": item})
            continue
        result = by_line.get(item.line)
        if item.options.isolated:
            cells.append(_code_cell("start_session()  # the page runs the next example in a new session",
                                    {"role": "new-session"}))
        count += 1
        cells.append(_code_cell(_cell_code(item), {"line": item.line}, block_outputs(result),
                                [RAISES_TAG] if item.options.raises else [], count))
    for number, cell in enumerate(cells, start=1):
        cell["id"] = f"cell-{number}"
    return {
        "cells": cells,
        "metadata": {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO),
                     METADATA_KEY: {"lesson": page, "title": title}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_name(page_path: str) -> str:
    """`lessons/sending-email.md` -> `lessons/sending-email.ipynb`."""
    return re.sub(r"\.md$", "", page_path) + ".ipynb"


def _code_cell(code: str, about: dict, outputs: list | None = None, tags: list[str] | None = None,
               count: int | None = None) -> dict:
    metadata = {METADATA_KEY: about}
    if tags:
        metadata["tags"] = tags
    return {"cell_type": "code", "execution_count": count, "metadata": metadata, "outputs": outputs or [],
            "source": code}


def _cell_code(block: RunBlock) -> str:
    code = block.code.rstrip("\n")
    if block.options.raises or not ends_with_shown_expression(code):
        return code
    row, column = last_token(code).end
    lines = code.split("\n")
    lines[row - 1] = lines[row - 1][:column] + ";" + lines[row - 1][column:]
    return "\n".join(lines)


def _body(source: str, blocks: list[RunBlock]) -> tuple[list, str]:
    """The page after its front matter, as lines with each run block in place of its fence; and its title."""
    lines = source.split("\n")
    start, title = 0, ""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                start = index + 1
                break
            found = _TITLE.match(lines[index])
            if found:
                title = found.group("title")
    openings = {block.line - 1: block for block in blocks}
    body: list = []
    index = start
    while index < len(lines):
        block = openings.get(index)
        if block is None:
            if not title and _H1.match(lines[index]):
                title = _H1.match(lines[index]).group("title")
            body.append(lines[index])
            index += 1
            continue
        body.append(block)
        index = _after_fence(lines, index)
    return body, title


def _after_fence(lines: list[str], opening: int) -> int:
    fence = _FENCE_OPEN.match(lines[opening]).group("fence")
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    index = opening + 1
    while index < len(lines) and not closing.match(lines[index]):
        index += 1
    return index + 1

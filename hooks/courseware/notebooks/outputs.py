"""What the build's results become in a notebook: Jupyter outputs, and errors that name cells.

A block's captured text (stdout and stderr, interleaved as written) becomes one
`stream` output; an exception the block was meant to raise becomes an `error`
output carrying the short traceback the page shows. Notebooks are written as
nbformat does (sorted keys, one-space indent), so the same input gives the same
bytes.
"""

from __future__ import annotations

import json
import re

from ..errors import AuthorError
from ..runner import BlockResult
from .source import RAISES_TAG, NotebookPage, cell_origin

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}


def block_outputs(result: BlockResult | None) -> list[dict]:
    """The Jupyter outputs of one block's result (none when it did not run)."""
    if result is None:
        return []
    outputs: list[dict] = []
    if result.output:
        outputs.append({"name": "stdout", "output_type": "stream", "text": result.output})
    if result.traceback:
        name = result.exception_type or "Exception"
        outputs.append({"ename": name, "evalue": exception_value(result.traceback, name), "output_type": "error",
                        "traceback": result.traceback.rstrip("\n").split("\n")})
    return outputs


def exception_value(traceback: str, name: str) -> str:
    """`str(exception)` read back from the last lines of a formatted traceback."""
    lines = traceback.rstrip("\n").split("\n")
    header = re.compile(rf"^(?:[\w.]+\.)?{re.escape(name)}(?:: ?(?P<value>.*))?$")
    for index in range(len(lines) - 1, -1, -1):
        found = header.match(lines[index])
        if found:
            return "\n".join([found.group("value") or "", *lines[index + 1:]]).strip("\n")
    return lines[-1] if lines else ""


def executed_notebook(page: NotebookPage, results: list[BlockResult], setup: dict | None = None) -> dict:
    """The notebook with the build's outputs in its code cells, and `setup` as its first cell.

    Execution counts number the cells the build ran; code cells that hold no
    code keep no outputs. The kernel is the standard `python3`, whatever the
    author's Jupyter saved, and every cell has an id (nbformat 4.5).
    """
    notebook = json.loads(json.dumps(page.notebook))  # a deep copy, JSON all the way down
    by_cell = {result.block.line: result for result in results}
    count = 0
    for number, cell in enumerate(notebook["cells"], start=1):
        cell.setdefault("id", f"cell-{number}")
        if cell.get("cell_type") != "code":
            continue
        result = by_cell.get(number)
        if result is None:
            cell["execution_count"], cell["outputs"] = None, []
            continue
        count += 1
        cell["execution_count"] = count
        cell["outputs"] = block_outputs(result)
    if setup is not None:
        notebook["cells"].insert(0, {**setup, "id": "course-setup"})
    metadata = notebook.setdefault("metadata", {})
    metadata["kernelspec"] = dict(KERNELSPEC)
    metadata["language_info"] = dict(LANGUAGE_INFO)
    notebook["nbformat_minor"] = max(5, notebook.get("nbformat_minor", 0))
    return notebook


def dumps(notebook: dict) -> str:
    """The notebook as nbformat writes it: sorted keys, indent 1, sources and streams as lists of lines."""
    notebook = json.loads(json.dumps(notebook))
    for cell in notebook.get("cells", []):
        cell["source"] = _lines(cell.get("source", ""))
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = _lines(output.get("text", ""))
    return json.dumps(notebook, sort_keys=True, indent=1, separators=(",", ": "), ensure_ascii=False) + "\n"


def _lines(text: str | list[str]) -> list[str]:
    return ("".join(text) if isinstance(text, list) else text).splitlines(keepends=True)


def cell_error(page: NotebookPage, result: BlockResult) -> AuthorError:
    """The runner's error for a block, said about the notebook's cell."""
    error, number = result.error, result.block.line
    where = f"cell {number}"
    if error.path == cell_origin(page.path, number) and error.line:
        where += f", line {error.line}"
    message = re.sub(r"^the example\b", "the cell", error.message)
    message = re.sub(r"at the block on line (\d+)", r"at cell \1", message)
    raises = result.block.options.raises
    hint = error.hint
    if "raised nothing" in message:
        message = (f"the cell is tagged {RAISES_TAG} but raised nothing" if raises == "BaseException"
                   else re.sub(r"^the block", "the cell", message))
        hint = f"make the cell raise, or remove its {RAISES_TAG} tag or \"raises\" option"
    elif 'warnings="show"' in hint:
        hint = ("the course teaches the current Django API: replace the deprecated call, or set "
                '"course": {"warnings": "show"} in the cell\'s metadata to show the warning instead')
    elif "raises=" in hint and message.startswith("the cell raised"):
        hint = f"fix the cell, or give it the tag {RAISES_TAG} if the error is the point"
    elif "timeout=" in hint:
        hint = 'make it finish sooner, or set "course": {"timeout": SECONDS} in the cell\'s metadata'
    return AuthorError(page.path, None, f"{where}: {message}",
                       f"{hint} (cells are counted from 1 at the top, Markdown cells included)")

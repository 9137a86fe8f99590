"""Read a notebook page (`docs/**/*.ipynb`) into the blocks of one session.

A notebook runs like a page: its code cells, top to bottom, are the blocks of
one session, with the same settings, sandbox and limits. Markdown cells are
not part of any block, so editing one changes no cache key and reruns nothing.

Cells are named by their number counted from 1 at the top of the notebook,
Markdown cells included: that is the number an author finds by counting in
Jupyter. Options come from Jupyter's own conventions where one exists:

- the tag `raises-exception` says the cell must raise (any exception);
- cell metadata `"course": {"raises": "TypeError", "timeout": 10, "warnings": "show"}`
  gives the same options as a run block's fence header.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
import warnings
from dataclasses import dataclass, field

from ..blocks import RunBlock, SourceLine, run_options
from ..errors import AuthorError

RAISES_TAG = "raises-exception"  # Jupyter's tag for a cell whose error is expected
_OPTION_KEYS = ("raises", "timeout", "warnings")


@dataclass
class NotebookPage:
    """A notebook of the course, as JSON (nbformat 4), and the blocks of its code cells."""

    path: str
    notebook: dict
    blocks: list[RunBlock] = field(default_factory=list)
    problems: list[AuthorError] = field(default_factory=list)


def cell_origin(path: str, number: int) -> str:
    """How the lines of cell `number` are named while they run (see outputs.cell_error)."""
    return f"{path}#cell-{number}"


def read_notebook(text: str, path: str) -> NotebookPage:
    """The notebook at `path` (as shown in messages) and a block per non-empty code cell."""
    try:
        notebook = json.loads(text)
    except ValueError as error:
        page = NotebookPage(path, {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
        page.problems.append(AuthorError(path, None, f"is not a notebook: its JSON does not parse ({error})",
                                         "save it again from Jupyter"))
        return page
    page = NotebookPage(path, notebook)
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
        page.notebook = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        page.problems.append(AuthorError(path, None, "is not an nbformat 4 notebook",
                                         "save it from a current Jupyter (File > Save Notebook)"))
        return page
    language = notebook.get("metadata", {}).get("kernelspec", {}).get("language", "python")
    if language != "python":
        page.problems.append(AuthorError(path, None, f"is a {language} notebook",
                                         "the course runs Python notebooks only"))
        return page
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        code = cell_source(cell)
        if not code.strip():
            continue
        try:
            page.blocks.append(_block(cell, code, path, number))
        except AuthorError as error:
            page.problems.append(error)
    return page


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _block(cell: dict, code: str, path: str, number: int) -> RunBlock:
    where = f"cell {number}"
    _check_plain_python(code, path, where)
    metadata = cell.get("metadata", {})
    options = metadata.get("course", {})
    if not isinstance(options, dict) or set(options) - set(_OPTION_KEYS):
        unknown = sorted(set(options) - set(_OPTION_KEYS)) if isinstance(options, dict) else [repr(options)]
        raise AuthorError(path, None, f"{where}: unknown course option(s) {', '.join(map(str, unknown))}",
                          'the cell metadata "course" may hold "raises", "timeout" and "warnings"')
    raw = {"run": "run", **{key: str(value) for key, value in options.items()}}
    if RAISES_TAG in metadata.get("tags", []) and "raises" not in raw:
        raw["raises"] = "BaseException"  # any exception, as Jupyter's tag means
    try:
        run = run_options(raw, path, 0)
    except AuthorError as error:
        raise AuthorError(path, None, f"{where}: {error.message}", error.hint) from None
    if run.raises is None:
        _check_last_expression(code, path, where)
    code = code if code.endswith("\n") else code + "\n"
    lines = code.count("\n")
    origins = tuple(SourceLine(cell_origin(path, number), line) for line in range(1, lines + 1))
    return RunBlock(path, number, code, run, origins)


def _check_plain_python(code: str, path: str, where: str) -> None:
    """IPython's `%magic` and `!command` lines are not Python: say so, rather than "SyntaxError"."""
    try:
        _parse(code)
    except SyntaxError as error:
        lines = code.split("\n")
        line = lines[error.lineno - 1].lstrip() if error.lineno and error.lineno <= len(lines) else ""
        if line.startswith(("%", "!")):
            raise AuthorError(path, None, f"{where}, line {error.lineno}: `{line.split()[0]}` is IPython syntax",
                              "notebooks of the course run as plain Python, like the pages' examples: "
                              "write the Python it stands for (no % magics or ! shell commands)") from None


def ends_with_shown_expression(code: str) -> bool:
    """Whether Jupyter would show a value under this code: its last statement is an
    expression, not a print() call, and the line does not end with `;`."""
    try:
        tree = _parse(code)
    except SyntaxError:
        return False  # the run reports it, with its line
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    value = tree.body[-1].value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print":
        return False
    return last_token(code).string != ";"


def _parse(code: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. an invalid escape: the run shows it, if it matters
        return ast.parse(code)


def last_token(code: str) -> tokenize.TokenInfo:
    """The last token of the code that is not a comment, a newline or an indentation change."""
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
               tokenize.ENDMARKER}
    last = None
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type not in skipped:
            last = token
    return last


def _check_last_expression(code: str, path: str, where: str) -> None:
    if ends_with_shown_expression(code):
        raise AuthorError(
            path, None, f"{where} ends with an expression: Jupyter would show its value under the cell, "
            "but the build runs cells like the pages' examples and shows only what they print",
            "print it (print(...)), or end the line with `;` if the value is not worth showing",
        )

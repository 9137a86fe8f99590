"""The ```python run``` fence for pymdownx.superfences.

The blocks already ran (the build scans every page first, see blocks.py);
the fence only finds a block's result and renders it. SuperFences swallows
ordinary exceptions from fences, so nothing here raises: problems are kept in
`problems` for the build to report.
"""

from __future__ import annotations

from collections import defaultdict, deque

from .blocks import HIGHLIGHT_OPTIONS, is_run_fence
from .errors import AuthorError
from .render.output import render_run_block
from .runner import BlockResult


class RunFence:
    """Holds the results of every page's run blocks and renders them in place."""

    def __init__(self) -> None:
        self.current_page: str | None = None
        self.execute = True
        self.problems: list[AuthorError] = []
        self._results: dict[str, dict[str, deque[BlockResult]]] = {}

    def superfence(self) -> dict:
        return {"name": "python", "class": "python", "validator": self.validate, "format": self.format}

    def set_results(self, page: str, results: list[BlockResult]) -> None:
        by_code: dict[str, deque[BlockResult]] = defaultdict(deque)
        for result in results:
            by_code[_normalized(result.block.code)].append(result)
        self._results[page] = by_code

    def validate(self, language, inputs, options, attrs, md) -> bool:
        if not is_run_fence(language, inputs):
            return False
        for key in HIGHLIGHT_OPTIONS & inputs.keys():
            options[key] = inputs[key]
        return True

    def format(self, src, language, class_name, options, md, **kwargs) -> str:
        highlighted = md.preprocessors["fenced_code_block"].highlight(
            src=src, language="python", options=options, md=md,
            classes=kwargs.get("classes") or [], id_value=kwargs.get("id_value", ""), attrs={})
        if not self.execute:
            return render_run_block(highlighted, None)
        queue = self._results.get(self.current_page, {}).get(_normalized(src))
        if not queue:
            problem = AuthorError(self.current_page or "?", None,
                                  "a `python run` block was not found when the page was scanned",
                                  "write run blocks directly in the page, not in included Markdown, "
                                  "with the header ```python run")
            self.problems.append(problem)
            return render_run_block(highlighted, None, str(problem))
        return render_run_block(highlighted, queue.popleft())


def _normalized(code: str) -> str:
    """Code compared without blank lines and trailing spaces (pymdownx.snippets adds some)."""
    return "\n".join(line.rstrip() for line in code.split("\n") if line.strip())

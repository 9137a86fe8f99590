"""The ```python run``` fence for pymdownx.superfences.

The blocks already ran (the build scans every page first, see blocks.py);
the fence only finds a block's result and renders it. SuperFences swallows
ordinary exceptions from fences, so nothing here raises: problems are kept in
`problems` for the build to report.

Outputs are put into the page last (`fill_outputs`, on the finished HTML):
until then a placeholder stands in for each, so that the search indexer
neither stores them nor spends time parsing them.
"""

from __future__ import annotations

import re
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
        self._outputs: dict[str, list[str]] = defaultdict(list)

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
        return render_run_block(highlighted, queue.popleft(), place_output=self._placeholder)

    def _placeholder(self, output_html: str) -> str:
        outputs = self._outputs[self.current_page]
        outputs.append(output_html)
        return f"<!--course-run-output:{len(outputs) - 1}-->"

    def fill_outputs(self, page: str, html: str) -> str:
        """The finished page with each output in place of its placeholder."""
        outputs = self._outputs.pop(page, [])
        filled = _PLACEHOLDER.sub(lambda match: _take(outputs, int(match.group(1))), html)
        if any(output is not None for output in outputs):
            self.problems.append(AuthorError(page, None, "an example's output had no place in the page",
                                             "a theme template must show the page content exactly once"))
        return filled


_PLACEHOLDER = re.compile(r"<!--course-run-output:(\d+)-->")


def _take(outputs: list[str | None], index: int) -> str:
    output = outputs[index] if index < len(outputs) else None
    if output is None:
        return ""
    outputs[index] = None
    return output


def _normalized(code: str) -> str:
    """Code compared without blank lines and trailing spaces (pymdownx.snippets adds some)."""
    return "\n".join(line.rstrip() for line in code.split("\n") if line.strip())

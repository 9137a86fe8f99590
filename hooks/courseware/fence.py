"""The ```python run``` fence for pymdownx.superfences.

The blocks run in the examples' driver while MkDocs renders (see
runner/background.py); the fence renders a block's code and leaves
placeholders for its status and its result, which `fill_outputs` replaces
on the finished HTML of the page. So a page renders before its examples have
finished, and the search indexer neither stores outputs nor spends time
parsing them. SuperFences swallows ordinary exceptions from fences, so
nothing here raises: problems are kept in `problems` for the build to report.
"""

from __future__ import annotations

from collections import defaultdict, deque

from .blocks import HIGHLIGHT_OPTIONS, is_run_fence
from .errors import AuthorError
from .render.output import pending_run_block, render_run_block, settle_run_blocks
from .runner import BlockResult


class RunFence:
    """Renders every page's run blocks, then puts in their results when the page is finished."""

    def __init__(self) -> None:
        self.current_page: str | None = None
        self.execute = True
        self.problems: list[AuthorError] = []
        self._results: dict[str, list[BlockResult]] = {}
        self._pending: dict[str, list[str]] = defaultdict(list)  # page -> its blocks' code, in page order

    def superfence(self) -> dict:
        return {"name": "python", "class": "python", "validator": self.validate, "format": self.format}

    def start_page(self, page: str) -> None:
        self.current_page = page
        self._pending.pop(page, None)  # left over from a build that stopped half-way (mkdocs serve)

    def set_results(self, page: str, results: list[BlockResult]) -> None:
        self._results[page] = results

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
        pending = self._pending[self.current_page or "?"]
        pending.append(src)
        return pending_run_block(highlighted, len(pending) - 1)

    def fill_outputs(self, page: str, html: str) -> str:
        """The finished page with each block's status and result in place (`set_results` came first)."""
        pending = self._pending.pop(page, [])
        if not pending:
            return html
        by_code: dict[str, deque[BlockResult]] = defaultdict(deque)
        for result in self._results.pop(page, []):
            by_code[_normalized(result.block.code)].append(result)
        settled = []
        for code in pending:
            queue = by_code.get(_normalized(code))
            if queue:
                settled.append((queue.popleft(), None))
                continue
            problem = AuthorError(page, None, "a `python run` block was not found when the page was scanned",
                                  "write run blocks directly in the page, not in included Markdown, "
                                  "with the header ```python run")
            self.problems.append(problem)
            settled.append((None, str(problem)))
        filled, placed = settle_run_blocks(html, settled)
        if placed < len(settled):
            self.problems.append(AuthorError(page, None, "an example's output had no place in the page",
                                             "a theme template must show the page content exactly once"))
        return filled


def _normalized(code: str) -> str:
    """Code compared without blank lines and trailing spaces (pymdownx.snippets adds some)."""
    return "\n".join(line.rstrip() for line in code.split("\n") if line.strip())

"""HTML for a run block: its code, then what it printed (escaped, never re-parsed).

A block that sent mail shows two content tabs under its code (the HTML of
pymdownx.tabbed's alternate style, which Material styles): "Output", what it
printed, and "Preview", each message as a mail client shows it.
"""

from __future__ import annotations

import re
from html import escape

from ..runner import BlockResult
from .email_preview import render_email_preview


def render_run_block(code_html: str, result: BlockResult | None, problem: str | None = None) -> str:
    """`code_html` is the highlighted code; `problem` replaces the output when the build failed."""
    return _wrapped(_status(result, problem), code_html, _after_code(result, problem))


def pending_run_block(code_html: str, index: int) -> str:
    """The block while its result is not known yet: placeholders for its status and what follows its code.

    `settle_run_blocks` replaces them on the finished page; until then the
    search indexer sees no output (it would double the index and its time).
    """
    return _wrapped(f"{_PENDING_STATUS}{index}", code_html, f"<!--course-run-result:{index}-->")


def settle_run_blocks(html: str, settled: list[tuple[BlockResult | None, str | None]]) -> tuple[str, int]:
    """`html` with the i-th pending block given `settled[i]` (its result, or the problem that replaces it).

    Returns the HTML and how many blocks found their place.
    """
    placed: set[int] = set()

    def fill(match: re.Match) -> str:
        index = int(match.group(1) or match.group(2))
        if index >= len(settled):
            return ""
        result, problem = settled[index]
        if match.group(1) is not None:
            return f'data-run-status="{_status(result, problem)}"'
        if index in placed:
            return ""  # a template that shows the content twice gets each output once
        placed.add(index)
        return _after_code(result, problem)

    return _PLACEHOLDER.sub(fill, html), len(placed)


_PENDING_STATUS = "pending-"
_PLACEHOLDER = re.compile(rf'data-run-status="{_PENDING_STATUS}(\d+)"|<!--course-run-result:(\d+)-->')


def _wrapped(status: str, code_html: str, after_code: str) -> str:
    return "\n".join(part for part in (f'<div class="course-run" data-run-status="{status}">', code_html, after_code,
                                       "</div>") if part)


def _status(result: BlockResult | None, problem: str | None) -> str:
    return "failed" if problem or (result and result.failed) else "raised" if result and result.traceback else "ok"


def _after_code(result: BlockResult | None, problem: str | None) -> str:
    """The failure (if any), then the output."""
    parts = []
    if problem or (result and result.failed):
        parts.append(_failure(problem or str(result.error)))
    if result is not None:
        parts.append(_tabs(result) if result.emails else _output(result))
    return "\n".join(parts)


def _tabs(result: BlockResult) -> str:
    """Output and Preview tabs; ids come from the block's line, so they are stable and unique on a page."""
    name = f"course-run-{result.block.line}"
    tabs = [("output", "Output", _output(result, labelled=False)),
            ("preview", "Preview", render_email_preview(result.emails, f"{name}-mail"))]
    inputs = "".join(f'<input{" checked" if index == 0 else ""} id="{name}-{key}" name="{name}" type="radio">'
                     for index, (key, _, _) in enumerate(tabs))
    labels = "".join(f'<label for="{name}-{key}">{label}</label>' for key, label, _ in tabs)
    blocks = "".join(f'<div class="tabbed-block">{content}</div>' for _, _, content in tabs)
    return (f'<div class="tabbed-set tabbed-alternate course-run__tabs" data-tabs="{name}:{len(tabs)}" '
            'data-search-exclude>'
            f'{inputs}<div class="tabbed-labels">{labels}</div><div class="tabbed-content">{blocks}</div></div>')


def _output(result: BlockResult, labelled: bool = True) -> str:
    label = "Output"
    if result.traceback and not result.failed:
        label = f"Output: raises {escape(result.exception_type or '')}"
    body = []
    if result.output:
        body.append(f'<pre class="course-run__text"><code>{escape(result.output)}</code></pre>')
    if result.traceback:
        body.append(f'<pre class="course-run__traceback"><code>{escape(result.traceback)}</code></pre>')
    if not body:
        body.append('<p class="course-run__empty">This example printed nothing.</p>')
    shown = f'<p class="course-run__label">{label}</p>' if labelled or result.traceback else ""
    # Outputs stay out of the search index: prose says what they show, and they would double its size.
    return (f'<div class="course-run__output" role="group" aria-label="{label}" data-search-exclude>'
            f'{shown}{"".join(body)}</div>')


def _failure(message: str) -> str:
    return ('<div class="admonition failure course-run__failure" role="alert">'
            '<p class="admonition-title">This example failed when the site was built</p>'
            f'<pre><code>{escape(message)}</code></pre></div>')

"""HTML for a run block: its code, then what it printed (escaped, never re-parsed)."""

from __future__ import annotations

from html import escape

from ..runner import BlockResult


def render_run_block(code_html: str, result: BlockResult | None, problem: str | None = None) -> str:
    """`code_html` is the highlighted code; `problem` replaces the output when the build failed."""
    status = "failed" if problem or (result and result.failed) else "raised" if result and result.traceback else "ok"
    parts = [f'<div class="course-run" data-run-status="{status}">', code_html]
    if problem or (result and result.failed):
        parts.append(_failure(problem or str(result.error)))
    if result is not None:
        parts.append(_output(result))
    parts.append("</div>")
    return "\n".join(parts)


def _output(result: BlockResult) -> str:
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
    return (f'<div class="course-run__output" role="group" aria-label="{label}">'
            f'<p class="course-run__label">{label}</p>{"".join(body)}</div>')


def _failure(message: str) -> str:
    return ('<div class="admonition failure course-run__failure" role="alert">'
            '<p class="admonition-title">This example failed when the site was built</p>'
            f'<pre><code>{escape(message)}</code></pre></div>')

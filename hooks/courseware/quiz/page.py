"""The last step on a page's HTML: tell each quiz which page it is on."""

from __future__ import annotations

import html as html_lib

_EMPTY_PAGE = 'data-quiz-page=""'


def storage_page(page_path: str) -> str:
    """The page part of the localStorage key of a page's answers: its path under docs/.

    quiz.js saves a page's answers under `courseware:quiz:` + this, e.g.
    `courseware:quiz:lessons/sending-email.md`: the same on a server and from disk.
    """
    path = page_path.replace("\\", "/")
    return path[len("docs/"):] if path.startswith("docs/") else path


def finish_page_html(html: str, page_path: str) -> str:
    """Stamp every quiz of the page with its page key (without it quiz.js falls back to the URL path)."""
    if _EMPTY_PAGE not in html:
        return html
    return html.replace(_EMPTY_PAGE, f'data-quiz-page="{html_lib.escape(storage_page(page_path), quote=True)}"')

"""Finishing touches on built pages: the notebook download link, and no MathJax from a CDN."""

from __future__ import annotations

import re
from html import escape

# mkdocs-jupyter appends this loader to every page; on a notebook page it fetches MathJax from a CDN.
_MATHJAX_LOADER = re.compile(r"<script data-mkdocs-jupyter-mathjax=[^>]*>.*?</script>\s*", re.DOTALL)
# How mkdocs-jupyter marks math it wants MathJax to typeset (Markdown cells and text/latex outputs).
_MATH = re.compile(r'class="arithmatex"|data-mime-type="text/latex"')
_H1_END = re.compile(r"</h1>", re.IGNORECASE)

LINK_CLASS = "course-notebook-download"


def download_link(href: str, label: str) -> str:
    """A button-styled link that downloads the notebook (Material's `.md-button`)."""
    name = href.rsplit("/", 1)[-1]
    return (f'<p class="{LINK_CLASS}"><a class="md-button" href="{escape(href, quote=True)}" '
            f'download="{escape(name, quote=True)}">{escape(label)}</a></p>')


def with_download_link(html: str, href: str, label: str) -> str:
    """The page's HTML with the link right under its title (or first, when it has no h1)."""
    link = download_link(href, label)
    title_end = _H1_END.search(html)
    if title_end is None:
        return link + "\n" + html
    return html[:title_end.end()] + "\n" + link + html[title_end.end():]


def without_mathjax_loader(html: str) -> str:
    """The page without mkdocs-jupyter's MathJax loader (the course loads nothing from elsewhere)."""
    return _MATHJAX_LOADER.sub("", html)


def has_math(html: str) -> bool:
    """Whether a rendered notebook holds math that only MathJax would typeset."""
    return _MATH.search(html) is not None

"""A minimal MkDocs hook that wires the quiz in, the way hooks/course.py does for the course.

Used by the browser tests' fixture site (tests/browser/conftest.py), so that the
quiz tests depend on the quiz and the course's theme only.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "hooks"))

from mkdocs.exceptions import PluginError  # noqa: E402

from courseware.quiz import QuizExtension, check_page, finish_page_html  # noqa: E402


def on_config(config):
    config.markdown_extensions.append(QuizExtension(pass_mark=70))
    config.extra_css.append("assets/quiz.css")
    config.extra_javascript.append("assets/quiz.js")
    return config


def on_page_markdown(markdown, *, page, config, files):
    problems = check_page(markdown, page.file.src_uri)
    if problems:
        raise PluginError("\n".join(problems))
    return markdown


def on_page_content(html, *, page, config, files):
    return finish_page_html(html, page.file.src_uri)

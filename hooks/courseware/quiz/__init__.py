"""Quizzes written as Markdown blocks, checked at build time (plain Python, no MkDocs imports).

    /// question | Which function is the quickest way to send a plain-text email?
    - [ ] `mail()`
    - [x] `send_mail()`
      > It takes the subject, message, sender and recipient list.

    `send_mail()` builds the message and hands it to the configured mailer.
    ///

Options: `id:` (a stable name for saved progress; default: a slug of the
title) and `shuffle: true`. Several `[x]` make a select-all-that-apply question.

Use from a build:

- `QuizExtension(pass_mark=70)` in the Markdown extensions (needs
  pymdownx.superfences and pymdownx.blocks; pymdownx.tasklist is optional);
- `check_page(markdown, page_path)` before conversion: line-numbered
  messages for `///` lines pymdownx would print as text, misspelled options,
  unclosed questions and duplicate ids;
- the conversion raises `QuizError` listing every problem of the page;
- `finish_page_html(html, page_path)` after conversion: the page key of the
  saved progress;
- `overrides/assets/quiz.js` and `quiz.css` on every page.
"""

from .errors import Problem, QuizError
from .extension import QuizExtension
from .page import finish_page_html, storage_page
from .source import DEFAULT_BLOCK_NAMES, check_page

__all__ = ["DEFAULT_BLOCK_NAMES", "Problem", "QuizError", "QuizExtension", "check_page", "finish_page_html",
           "storage_page"]

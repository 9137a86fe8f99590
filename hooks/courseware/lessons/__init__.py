"""The course as a sequence of lessons (plain Python, no MkDocs imports).

A lesson is a Markdown page under docs/lessons/ whose front matter says what
the course shell shows about it:

    ---
    title: Sending Email
    summary: One sentence that says what the learner can do afterwards.
    duration: 30          # minutes
    objectives:
      - Send a message with send_mail() and know what its return value means
    next: The Caching Framework   # optional; must name the next lesson in the nav
    ---

- outline.py: `CourseOutline`, the lessons in navigation order with what the
  home page cards, the objectives box and the "Up next" card show;
- parts.py: `missing_parts(source, path)`, what a lesson still lacks before it
  can ship (objectives, summary, quick reference, quiz, a run block).
"""

from .outline import CourseOutline, Lesson, inline_html, read_front_matter, read_lesson
from .parts import missing_parts

__all__ = ["CourseOutline", "Lesson", "inline_html", "missing_parts", "read_front_matter", "read_lesson"]

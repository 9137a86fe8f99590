"""What every lesson must have before it ships, read from its Markdown source.

A lesson needs, for the course shell and for the learner: front matter with a
title, a one-line summary, a duration in minutes and its objectives; at least
one example that runs (```python run```); a "What you learned" summary; a
"Quick reference" table; and a quiz (`/// question` blocks). Headings, blocks
and fences inside fenced code (a lesson showing the syntax) do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import AuthorError
from .outline import read_front_matter

_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
_HEADING = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_QUESTION = re.compile(r"^[ \t]*/{3,}[ \t]*question\b")
_RUN_FENCE = re.compile(r"^python[ \t]+run(?:[ \t]|$)")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")

SUMMARY_HEADINGS = ("what you learned", "summary")
QUICK_REFERENCE_HEADING = "quick reference"


def _prose_lines(source: str) -> Iterator[str]:
    """The lines outside fenced code; each fence's opening line is given as `FENCE <info>`."""
    fence = ""
    for line in source.splitlines():
        found = _FENCE.match(line)
        if not fence:
            if found:
                fence = found.group("fence")
                yield "FENCE " + found.group("info").strip()
            else:
                yield line
        elif found and found.group("fence")[0] == fence[0] and len(found.group("fence")) >= len(fence) \
                and not found.group("info").strip():
            fence = ""


def _sections(lines: list[str]) -> dict[str, list[str]]:
    """Level-2 sections of the page by lower-cased heading text, with their lines."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        heading = _HEADING.match(line)
        if heading and len(heading.group("level")) <= 2:
            current = sections.setdefault(heading.group("text").strip().lower(), [])
        elif current is not None:
            current.append(line)
    return sections


def missing_parts(source: str, path: str) -> list[AuthorError]:
    """Each part the lesson at `path` (as shown to authors) lacks, with how to add it."""
    meta = read_front_matter(source)
    lines = list(_prose_lines(source))
    sections = _sections(lines)
    problems: list[AuthorError] = []

    def lacks(what: str, hint: str) -> None:
        problems.append(AuthorError(path, None, f"the lesson has no {what}", hint))

    if not isinstance(meta.get("title"), str) or not meta["title"].strip():
        lacks("title in its front matter", "start the page with front matter holding `title: ...`")
    summary = meta.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        lacks("summary in its front matter (the home page shows it on the lesson's card)",
              "add `summary: One sentence that says what the learner can do afterwards.`")
    duration = meta.get("duration")
    if isinstance(duration, bool) or not isinstance(duration, int) or duration <= 0:
        lacks("duration in its front matter (minutes, shown on the lesson's card)", "add `duration: 30`")
    objectives = meta.get("objectives")
    if not isinstance(objectives, list) or not any(isinstance(item, str) and item.strip() for item in objectives):
        lacks("objectives in its front matter (shown at the top of the lesson)",
              "add `objectives:` with one `- ...` line per thing the learner will be able to do")
    if not any(line.startswith("FENCE ") and _RUN_FENCE.match(line[len("FENCE "):]) for line in lines):
        lacks("example that runs", "add at least one ```python run``` block (see CONTRIBUTING.md)")
    if not any(heading in sections for heading in SUMMARY_HEADINGS):
        lacks('"What you learned" summary', 'add a `## What you learned` section: the lesson in a few bullets')
    reference = sections.get(QUICK_REFERENCE_HEADING)
    if reference is None or not any(_TABLE_ROW.match(line) for line in reference):
        lacks("quick reference table", "add a `## Quick reference` section with a `| Task | Code |` table")
    if not any(_QUESTION.match(line) for line in lines):
        lacks("quiz", "end the lesson with a `## Practice quiz` of `/// question | ...` blocks (CONTRIBUTING.md)")
    return problems

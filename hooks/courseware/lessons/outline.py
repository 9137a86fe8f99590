"""The lessons in navigation order, read from their front matter, and which one comes next."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

import yaml

from ..errors import AuthorError

# The YAML block MkDocs reads as a page's meta data: first line `---`, closed by `---` or `...`.
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\r?\n(?P<yaml>.*?\r?\n)?(?:-{3}|\.{3})[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def read_front_matter(source: str) -> dict:
    """A page's front matter as a dict ({} when it has none, or when it is not a mapping)."""
    found = _FRONT_MATTER.match(source)
    if found is None:
        return {}
    try:
        data = yaml.safe_load(found.group("yaml") or "")
    except yaml.YAMLError:
        return {}  # MkDocs reports broken front matter itself
    return data if isinstance(data, dict) else {}


def inline_html(text: str) -> str:
    """Plain front-matter text as HTML: escaped, with `backticks` as <code>."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(text, quote=False))


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _minutes(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value) or None
    return None


@dataclass(frozen=True)
class Lesson:
    """What the course shell shows of one lesson.

    `page` is the lesson's path under docs/ (`lessons/caching.md`): the quiz
    saves its progress under `courseware:quiz:` + that path, so the home page
    and the lesson frame find a lesson's progress by it. `url` is the built
    page's path from the site root.
    """

    page: str
    url: str
    title: str
    summary: str = ""
    minutes: int | None = None
    objectives: tuple[str, ...] = ()
    next_title: str = ""
    source_path: str = ""

    @property
    def summary_html(self) -> str:
        return inline_html(self.summary)

    @property
    def objectives_html(self) -> tuple[str, ...]:
        return tuple(inline_html(objective) for objective in self.objectives)

    @property
    def duration_text(self) -> str:
        """"About 40 minutes", or "" when the front matter gives no usable duration."""
        if self.minutes is None:
            return ""
        return f"About {self.minutes} minute{'' if self.minutes == 1 else 's'}"


def read_lesson(page: str, url: str, source: str, fallback_title: str = "", source_path: str = "") -> Lesson:
    """A lesson from its Markdown source (front matter and all)."""
    meta = read_front_matter(source)
    objectives = meta.get("objectives")
    return Lesson(
        page=page,
        url=url,
        title=_text(meta.get("title")) or fallback_title or page,
        summary=_text(meta.get("summary")),
        minutes=_minutes(meta.get("duration")),
        objectives=tuple(_text(item) for item in objectives if _text(item)) if isinstance(objectives, list) else (),
        next_title=_text(meta.get("next")),
        source_path=source_path or page,
    )


class CourseOutline:
    """The lessons in the order of the navigation."""

    def __init__(self, lessons: Iterable[Lesson] = ()) -> None:
        self.lessons: tuple[Lesson, ...] = tuple(lessons)
        self._index = {lesson.page: number for number, lesson in enumerate(self.lessons)}

    def __len__(self) -> int:
        return len(self.lessons)

    def __iter__(self):
        return iter(self.lessons)

    @property
    def total_minutes(self) -> int:
        return sum(lesson.minutes or 0 for lesson in self.lessons)

    def lesson(self, page: str) -> Lesson | None:
        """The lesson whose path under docs/ is `page`, or None for a page that is not a lesson."""
        number = self._index.get(page)
        return None if number is None else self.lessons[number]

    def number(self, page: str) -> int | None:
        """1 for the first lesson of the course, and so on."""
        number = self._index.get(page)
        return None if number is None else number + 1

    def next_lesson(self, page: str) -> Lesson | None:
        """The lesson after `page` in the navigation; None after the last one."""
        number = self._index.get(page)
        if number is None or number + 1 >= len(self.lessons):
            return None
        return self.lessons[number + 1]

    def problems(self) -> list[AuthorError]:
        """Front matter whose `next:` names another lesson than the one that follows in the nav."""
        found = []
        for lesson in self.lessons:
            following = self.next_lesson(lesson.page)
            if lesson.next_title and following is not None and following.title != lesson.next_title:
                found.append(AuthorError(
                    lesson.source_path, None,
                    f"the front matter says `next: {lesson.next_title}`, but the lesson after it in the "
                    f"navigation is {following.title!r}",
                    f"write `next: {following.title}`, or move the lessons in `nav:` of mkdocs.yml"))
        return found

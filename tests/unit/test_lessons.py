"""The course outline and the parts every lesson must have (courseware.lessons)."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from courseware.lessons import CourseOutline, inline_html, missing_parts, read_front_matter, read_lesson
from tests.conftest import REPO

COMPLETE_LESSON = textwrap.dedent('''\
    ---
    title: The Caching Framework
    summary: Make slow pages fast with `cache.set()` & friends.
    duration: 40
    objectives:
      - Store values with `cache.set()`
      - Cache a view with <code>@cache_page</code>
    next: Sessions
    ---

    # The Caching Framework

    ```python run
    print("hello")
    ```

    ## What you learned

    - Caches keep answers.

    ## Quick reference

    | Task | Code |
    | --- | --- |
    | Store | `cache.set("k", v)` |

    ## Practice quiz

    /// question | What does `cache.get()` return on a miss?
    - [x] `None`
    - [ ] `False`

    A miss is `None`.
    ///
''')


def problems(source: str) -> list[str]:
    return [error.message for error in missing_parts(source, "docs/lessons/x.md")]


# --- the parts of a lesson ----------------------------------------------------------------

def test_a_complete_lesson_lacks_nothing():
    assert problems(COMPLETE_LESSON) == []


@pytest.mark.parametrize(("cut", "message"), [
    ("summary: Make slow pages fast with `cache.set()` & friends.\n", "summary in its front matter"),
    ("duration: 40\n", "duration in its front matter"),
    ("objectives:\n  - Store values with `cache.set()`\n  - Cache a view with <code>@cache_page</code>\n",
     "objectives in its front matter"),
    ('```python run\nprint("hello")\n```\n', "example that runs"),
    ("## What you learned\n", '"What you learned" summary'),
    ("## Quick reference\n", "quick reference table"),
    ("| Task | Code |\n| --- | --- |\n| Store | `cache.set(\"k\", v)` |\n", "quick reference table"),
    ("/// question | What does `cache.get()` return on a miss?\n", "quiz"),
])
def test_each_missing_part_is_named_with_how_to_add_it(cut, message):
    assert cut in COMPLETE_LESSON
    errors = missing_parts(COMPLETE_LESSON.replace(cut, ""), "docs/lessons/x.md")
    assert len(errors) == 1 and errors[0].message.startswith(f"the lesson has no {message}")
    assert str(errors[0]).startswith("docs/lessons/x.md: the lesson has no ")
    assert "how to fix: " in str(errors[0])


def test_a_page_without_front_matter_lacks_all_of_it():
    assert problems("# Title\n\nText.\n") == [
        "the lesson has no title in its front matter",
        "the lesson has no summary in its front matter (the home page shows it on the lesson's card)",
        "the lesson has no duration in its front matter (minutes, shown on the lesson's card)",
        "the lesson has no objectives in its front matter (shown at the top of the lesson)",
        "the lesson has no example that runs",
        'the lesson has no "What you learned" summary',
        "the lesson has no quick reference table",
        "the lesson has no quiz",
    ]


def test_parts_shown_inside_fenced_code_do_not_count():
    shown = COMPLETE_LESSON.replace("## Quick reference", "````markdown\n## Quick reference").replace(
        "## Practice quiz", "````\n\n## Practice quiz")
    assert problems(shown) == ["the lesson has no quick reference table"]
    quiz_as_example = COMPLETE_LESSON.replace("/// question", "```text\n/// question").rstrip() + "\n```\n"
    assert "the lesson has no quiz" in problems(quiz_as_example)


def test_a_plain_python_fence_is_not_a_run_block():
    assert "the lesson has no example that runs" in problems(
        COMPLETE_LESSON.replace("```python run", "```python"))
    assert problems(COMPLETE_LESSON.replace("```python run", '```python run raises="ValueError"')) == []


@pytest.mark.parametrize("duration", ["0", "-5", "thirty", "true", "1.5"])
def test_a_duration_must_be_whole_minutes(duration):
    assert problems(COMPLETE_LESSON.replace("duration: 40", f"duration: {duration}")) == [
        "the lesson has no duration in its front matter (minutes, shown on the lesson's card)"]


def course_lessons() -> list[str]:
    """Every lesson page in the navigation of mkdocs.yml."""
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    found = []

    def walk(items):
        for item in items:
            value = item if isinstance(item, str) else next(iter(item.values()))
            if isinstance(value, list):
                walk(value)
            elif value.startswith("lessons/") and value.endswith(".md"):
                found.append(value)

    walk(config["nav"])
    return found


def test_the_course_has_lessons_in_its_navigation():
    assert course_lessons()[:2] == ["lessons/sending-email.md", "lessons/caching.md"]


@pytest.mark.parametrize("lesson", course_lessons())
def test_every_lesson_of_the_course_has_every_required_part(lesson):
    path = REPO / "docs" / lesson
    errors = missing_parts(path.read_text(encoding="utf-8"), f"docs/{lesson}")
    assert errors == [], "\n".join(str(error) for error in errors)


def test_every_lesson_file_is_in_the_navigation():
    on_disk = sorted(path.relative_to(REPO / "docs").as_posix() for path in (REPO / "docs/lessons").glob("*.md"))
    assert on_disk == sorted(course_lessons())


# --- the outline --------------------------------------------------------------------------

def test_a_lesson_is_read_from_its_front_matter():
    lesson = read_lesson("lessons/caching.md", "lessons/caching.html", COMPLETE_LESSON, "Nav title",
                         "docs/lessons/caching.md")
    assert lesson.title == "The Caching Framework"
    assert lesson.minutes == 40 and lesson.duration_text == "About 40 minutes"
    assert lesson.next_title == "Sessions"
    assert lesson.summary_html == "Make slow pages fast with <code>cache.set()</code> &amp; friends."
    assert lesson.objectives_html == ("Store values with <code>cache.set()</code>",
                                      "Cache a view with &lt;code&gt;@cache_page&lt;/code&gt;")


def test_a_lesson_without_front_matter_falls_back_to_its_nav_title():
    lesson = read_lesson("lessons/x.md", "lessons/x.html", "# Hello\n", "Nav title")
    assert (lesson.title, lesson.summary, lesson.minutes, lesson.objectives) == ("Nav title", "", None, ())
    assert lesson.duration_text == ""


def test_front_matter_that_is_not_a_mapping_is_none():
    assert read_front_matter("---\n- a list\n---\n# Page\n") == {}
    assert read_front_matter("---\ntitle: [unclosed\n---\n") == {}
    assert read_front_matter("# No front matter\n---\n") == {}
    assert read_front_matter("---\ntitle: T\n...\nBody\n") == {"title": "T"}


def test_inline_html_escapes_and_keeps_code_spans():
    assert inline_html("a < b and `x & y`") == "a &lt; b and <code>x &amp; y</code>"


def outline(*titles: str, next_titles: dict[str, str] | None = None) -> CourseOutline:
    next_titles = next_titles or {}
    return CourseOutline(
        read_lesson(f"lessons/{number}.md", f"lessons/{number}.html",
                    f"---\ntitle: {title}\nduration: 10\n" + (f"next: {next_titles[title]}\n" if title in
                                                               next_titles else "") + "---\n",
                    source_path=f"docs/lessons/{number}.md")
        for number, title in enumerate(titles, start=1))


def test_the_next_lesson_is_the_following_one_in_the_navigation():
    course = outline("Sending Email", "The Caching Framework", "Sessions")
    assert [lesson.title for lesson in course] == ["Sending Email", "The Caching Framework", "Sessions"]
    assert course.next_lesson("lessons/1.md").title == "The Caching Framework"
    assert course.next_lesson("lessons/2.md").title == "Sessions"
    assert course.next_lesson("lessons/3.md") is None
    assert course.next_lesson("index.md") is None and course.lesson("index.md") is None
    assert course.number("lessons/2.md") == 2
    assert course.total_minutes == 30


def test_a_next_in_front_matter_must_agree_with_the_navigation():
    course = outline("Sending Email", "The Caching Framework", "Sessions",
                     next_titles={"Sending Email": "Sessions", "The Caching Framework": "Sessions",
                                  "Sessions": "Forms"})
    errors = [str(error) for error in course.problems()]
    assert errors == [
        "docs/lessons/1.md: the front matter says `next: Sessions`, but the lesson after it in the navigation "
        "is 'The Caching Framework'\n    how to fix: write `next: The Caching Framework`, or move the lessons "
        "in `nav:` of mkdocs.yml"]

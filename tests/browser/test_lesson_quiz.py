"""The Sending Email lesson's practice quiz, in the real course build (hooks/course.py wires the quiz in)."""

from __future__ import annotations

import pytest

from tests.browser.harness import axe_violations, describe_violations
from tests.browser.test_quiz import ready

LESSON = "lessons/sending-email.html"


def open_lesson(page):
    """The lesson page, once quiz.js has started; fails at once (not by time-out) if it has no quiz."""
    if page.locator(".quiz").count() != 1:
        pytest.fail("the lesson has no quiz: hooks/course.py must add QuizExtension() to the Markdown "
                    "extensions, and the lesson must end with its '## Practice quiz'")
    return ready(page)


@pytest.fixture
def lesson(open_offline, course_site):
    page, guard = open_offline((course_site / LESSON).as_uri())
    return open_lesson(page), guard


def answer_all(page, right: bool) -> None:
    wanted = "[data-quiz-correct]" if right else ":not([data-quiz-correct])"
    for question in page.locator(".quiz-question").all():
        question.locator(f".quiz-option{wanted} label").first.click()
        question.get_by_role("button", name="Check").click()


def test_the_lesson_ends_with_its_ten_question_quiz(lesson, course_site):
    page, _ = lesson
    assert page.locator(".quiz .quiz-question").count() == 10
    assert page.locator(".quiz").get_attribute("data-quiz-page") == "lessons/sending-email.md"
    assert page.locator("script[src$='assets/quiz.js']").count() == 1
    assert page.locator("link[href$='assets/quiz.css']").count() == 1
    heading = page.locator(".quiz").evaluate(
        "el => { while ((el = el.previousElementSibling)) if (el.tagName === 'H2') return el.textContent; }")
    assert heading.startswith("Practice quiz")
    # Only the course frame's end of lesson ("Lesson complete", "Up next") may follow the quiz.
    after = page.locator(".quiz").evaluate(
        "el => { let text = ''; while ((el = el.nextElementSibling)) "
        "if (!el.matches('.course-lesson-end')) text += el.textContent; return text.trim(); }")
    assert len(after) < 400, f"the quiz should close the lesson, but it is followed by: {after[:200]}"

def test_the_lesson_quiz_can_be_passed_from_disk_with_no_network(lesson):
    page, guard = lesson
    answer_all(page, right=True)
    assert page.locator(".quiz-results__summary").inner_text() == (
        "Quiz complete: 10 of 10 correct (100%). Pass mark: 70%. You passed.")
    page.reload()
    ready(page)
    assert page.locator(".quiz-question.is-correct").count() == 10
    assert guard.blocked == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_lesson_quiz(open_page, course_site, scheme):
    page = open_lesson(open_page((course_site / LESSON).as_uri(), color_scheme=scheme))
    assert axe_violations(page, ".quiz", ".quiz .highlight") == []
    answer_all(page, right=False)
    violations = axe_violations(page, ".quiz", ".quiz .highlight")
    assert violations == [], describe_violations(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_the_whole_lesson_page(open_page, course_site, scheme):
    page = open_lesson(open_page((course_site / LESSON).as_uri(), color_scheme=scheme))
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    answer_all(page, right=False)
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)

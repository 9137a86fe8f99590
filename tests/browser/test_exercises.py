"""Exercises and the email preview in headless Chromium: keyboard, reveals, the sandboxed frame, axe-core.

The lesson is the real course page, built once; the fixture site holds what
the lesson does not (a message whose HTML carries a script, an answer in
quotes) and is built with the course's machinery.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.harness import REPO, axe_violations, build_mkdocs, describe_violations, serve
from tests.build.conftest import make_project

LESSON = "lessons/sending-email.html"
MINE = ".course-run__tabs, .course-fill, .course-exercise"  # what this component owns on the page
MATERIAL = ".md-code__nav"  # the copy button's <nav>, added by Material to every code block (unlabelled)

SNEAKY_PAGE = """\
    # Sneaky mail

    ```python run
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives("Sneaky", "Plain text.", None, ["ada@example.com"])
    message.attach_alternative(
        '<h1 id="greeting">Hello</h1>'
        '<img src="http://127.0.0.1:9/beacon.png" alt="beacon">'
        '<script>document.getElementById("greeting").textContent = "script ran";'
        'parent.document.title = "pwned"; alert("pwned");</script>',
        "text/html",
    )
    message.send()
    ```

    ```python fill
    name = {~"ada"~}
    assert name == "ada"
    ```
    """


@pytest.fixture(scope="session")
def lesson_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("exercise-lesson") / "site"
    build_mkdocs(REPO, site)
    return site


@pytest.fixture(scope="session")
def lesson_url(lesson_site) -> str:
    with serve(lesson_site) as url:
        yield url + LESSON


@pytest.fixture(scope="session")
def sneaky_url(tmp_path_factory) -> str:
    project = make_project(tmp_path_factory.mktemp("exercise-fixture"), {"sneaky.md": SNEAKY_PAGE})
    build_mkdocs(project, project / "site")
    with serve(project / "site") as url:
        yield url + "sneaky.html"


def lesson(open_page, lesson_site, **options):
    page = open_page((lesson_site / LESSON).as_uri(), **options)
    page.wait_for_selector(".course-fill[data-fill-ready]")
    return page


def focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def marks(page) -> list[str]:
    return page.locator(".course-fill").first.locator(".course-fill__mark").all_inner_texts()


# -- fill in the blank ---------------------------------------------------------------------


def test_blanks_are_filled_and_checked_with_the_keyboard_alone(open_page, lesson_site):
    page = lesson(open_page, lesson_site)
    fill = page.locator(".course-fill").first
    blanks = fill.locator("input.course-fill__blank")
    assert blanks.count() == 3
    assert [blanks.nth(n).get_attribute("aria-label") for n in range(3)] == [
        "blank 1 of 3", "blank 2 of 3", "blank 3 of 3"]
    blanks.first.focus()
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    assert focused(page) == "course-fill-1-blank-2"
    page.keyboard.type("send_mail")
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    assert marks(page) == ["\u2713 right", "\u2717 not right yet", "\u2717 not right yet"]
    status = fill.locator(".course-fill__status")
    assert status.inner_text() == "1 of 3 right. Have another look at blanks 2 and 3."
    assert blanks.nth(1).get_attribute("aria-invalid") == "true"
    assert blanks.nth(1).get_attribute("aria-describedby") == "course-fill-1-blank-2-mark"

    blanks.nth(1).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("send_mass_mail")
    assert fill.locator("#course-fill-1-blank-2-mark").is_hidden()  # editing clears the old verdict
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type(" len(notices) ")
    page.keyboard.press("Tab")
    assert focused(page).startswith("md-button md-button--primary course-fill__check")
    page.keyboard.press("Enter")
    assert marks(page) == ["\u2713 right"] * 3
    assert status.inner_text() == "All 3 blanks are right. Well done!"
    assert fill.get_attribute("data-fill-result") == "right"


def test_an_empty_blank_is_called_empty_and_clear_starts_again(open_page, lesson_site):
    page = lesson(open_page, lesson_site)
    fill = page.locator(".course-fill").first
    fill.locator(".course-fill__check").click()
    assert marks(page) == ["\u2013 empty"] * 3
    fill.locator("input.course-fill__blank").first.fill("1")
    fill.locator(".course-fill__reset").click()
    assert fill.locator("input.course-fill__blank").first.input_value() == ""
    assert marks(page) == ["", "", ""] and fill.locator(".course-fill__status").inner_text() == ""
    assert focused(page) == "course-fill-1-blank-1"


def test_answers_are_compared_without_surrounding_space_or_quote_style(open_page, sneaky_url):
    page = open_page(sneaky_url)
    page.wait_for_selector(".course-fill[data-fill-ready]")
    blank = page.locator("input.course-fill__blank")
    blank.fill("  'ada'  ")
    blank.press("Enter")
    assert page.locator(".course-fill__mark").inner_text() == "\u2713 right"
    blank.fill("'Ada'")
    blank.press("Enter")
    assert page.locator(".course-fill__mark").inner_text() == "\u2717 not right yet"


def test_show_answer_reveals_the_completed_code(open_page, lesson_site):
    page = lesson(open_page, lesson_site)
    answer = page.locator(".course-fill__answer").first
    code = answer.locator(".highlight")
    assert not code.is_visible()
    answer.locator("summary").focus()
    page.keyboard.press("Enter")
    assert code.is_visible()
    assert "assert send_mass_mail(notices, using=\"outbox\") == 3" in code.inner_text()
    assert "len(notices)" in answer.locator(".course-fill__also").last.inner_text()


def test_the_solution_is_behind_a_reveal_with_a_reminder_to_try_first(open_page, lesson_site):
    page = lesson(open_page, lesson_site)
    exercise = page.locator(".course-exercise")
    assert exercise.locator("[data-exercise-part=starter] .highlight").is_visible()
    assert exercise.locator("[data-exercise-part=tests] .highlight").is_visible()
    solution = exercise.locator("[data-exercise-part=solution]")
    assert "try it yourself first" in solution.locator("summary").inner_text()
    assert not solution.locator(".highlight").is_visible()
    solution.locator("summary").click()
    assert "render_to_string(\"emails/order_subject.txt\", context)" in solution.locator(".highlight").inner_text()


def test_without_javascript_the_answer_is_in_a_details_and_no_dead_buttons_show(open_page, lesson_site):
    page = open_page((lesson_site / LESSON).as_uri(), java_script_enabled=False)
    fill = page.locator(".course-fill").first
    assert fill.locator("input.course-fill__blank").count() == 3
    assert not fill.locator(".course-fill__check").is_visible()
    assert not fill.locator(".course-fill__how-check").is_visible()
    fill.locator(".course-fill__answer summary").click()
    assert "== 3" in fill.locator(".course-fill__answer .highlight").inner_text()


def test_offline_from_file_the_fill_check_works_and_requests_nothing(open_offline, lesson_site):
    page, guard = open_offline((lesson_site / LESSON).as_uri())
    page.wait_for_selector(".course-fill[data-fill-ready]")
    fill = page.locator(".course-fill").first
    fill.locator("input.course-fill__blank").first.fill("1")
    fill.locator(".course-fill__check").click()
    assert marks(page)[0] == "\u2713 right"
    assert guard.blocked == []


# -- the email preview ------------------------------------------------------------------------


def show_previews(page) -> None:
    page.locator(".course-run__tabs label", has_text="Preview").first.click()
    page.locator(".course-mail").first.wait_for(state="visible")


def test_a_script_in_an_html_email_does_nothing_in_the_sandboxed_frame(browser, sneaky_url):
    context = browser.new_context()
    requests, console, dialogs = [], [], []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(sneaky_url)
        title = page.title()
        show_previews(page)
        frame_element = page.locator(".course-mail__frame iframe")
        frame_element.wait_for(state="visible")
        frame = frame_element.content_frame
        assert frame.locator("#greeting").text_content(timeout=5000) == "Hello"  # the HTML itself is shown
        page.wait_for_timeout(300)
        assert page.title() == title and dialogs == []
        assert any("Blocked script execution" in text and "sandboxed" in text for text in console), console
        assert not [url for url in requests if "beacon" in url]
    finally:
        context.close()


def test_the_preview_fits_a_phone_screen_in_the_dark_palette(open_page, lesson_url):
    page = open_page(lesson_url, viewport={"width": 360, "height": 740}, color_scheme="dark")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    show_previews(page)
    too_wide = page.evaluate("""() => [...document.querySelectorAll('.course-mail *')]
        .filter(el => el.offsetParent && el.getBoundingClientRect().right > window.innerWidth + 1)
        .map(el => el.className || el.tagName)""")
    assert too_wide == []
    frame = page.locator(".course-mail__frame").first
    assert frame.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    assert frame.bounding_box()["height"] >= 100


# -- accessibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_the_previews_and_exercises_of_the_lesson(open_page, lesson_url, scheme):
    page = open_page(lesson_url, color_scheme=scheme)
    page.wait_for_selector(".course-fill[data-fill-ready]")
    violations = axe_violations(page, MINE, MATERIAL)
    assert violations == [], describe_violations(violations)
    show_previews(page)
    fill = page.locator(".course-fill").first
    fill.locator("input.course-fill__blank").first.fill("7")
    fill.locator(".course-fill__check").click()
    fill.locator(".course-fill__answer summary").click()
    page.locator(".course-exercise__solution summary").click()
    for source in page.locator(".course-mail__source summary").all():
        source.click()
    violations = axe_violations(page, MINE, MATERIAL)
    assert violations == [], describe_violations(violations)

"""The course as a learner takes it: home, lessons, progress, "Up next", search; offline and served; axe-core.

Every test reads the real course, built once (`course_site`). From disk, every
request that is not file:// is blocked and counted; over http, every request
that does not go to the local server is.
"""

from __future__ import annotations

import pytest

from tests.browser.harness import REPO, NetworkGuard, axe_violations, describe_violations, serve
from tests.browser.test_quiz import ready

HOME = "index.html"
SENDING_EMAIL = "lessons/sending-email.html"
CACHING = "lessons/caching.html"
LESSON_TITLES = ["Sending Email", "The Caching Framework"]


@pytest.fixture
def open_served(browser, course_site):
    """The course over http://127.0.0.1; returns (page, guard) like `open_offline`."""
    contexts = []
    with serve(course_site) as base:
        def open_(path: str, **options):
            context = browser.new_context(**options)
            contexts.append(context)
            guard = NetworkGuard(origin=base)
            guard.attach(context)
            page = context.new_page()
            page.goto(base + path)
            return page, guard

        yield open_
        for context in contexts:
            context.close()


def card(page, title: str):
    return page.locator(".course-card").filter(has=page.get_by_role("link", name=title, exact=True))


def status(page, title: str) -> str:
    node = card(page, title).locator("[data-course-status]")
    node.wait_for(state="visible")
    return " ".join(node.inner_text().split())


def answer_all(page, right: bool = True) -> None:
    wanted = "[data-quiz-correct]" if right else ":not([data-quiz-correct])"
    for question in page.locator(".quiz-question").all():
        question.locator(f".quiz-option{wanted} label").first.click()
        question.get_by_role("button", name="Check").click()


def walk_through_the_course(page) -> None:
    """Home -> Sending Email -> pass its quiz -> home shows it complete -> "Up next" -> the Caching Framework."""
    titles = page.locator(".course-lessons .course-card__link").all_inner_texts()
    assert titles == LESSON_TITLES, "the home page lists the lessons in the order of the navigation"
    first = card(page, "Sending Email")
    assert "send_mail" in first.locator(".course-card__summary").inner_text()
    assert first.locator(".course-card__time").inner_text() == "About 30 minutes"
    assert card(page, "The Caching Framework").locator(".course-card__time").inner_text() == "About 40 minutes"
    assert status(page, "Sending Email") == "○ Not started"
    assert status(page, "The Caching Framework") == "○ Not started"

    first.get_by_role("link", name="Sending Email").click()
    page.wait_for_url(f"**/{SENDING_EMAIL}")
    ready(page)
    objectives = page.locator(".course-objectives")
    assert objectives.locator("li").count() == 6
    assert objectives.evaluate("el => el.compareDocumentPosition(document.querySelector('.quiz')) & 4") == 4
    banner = page.locator(".course-complete")
    assert banner.is_hidden(), "no 'Lesson complete' before the quiz is passed"

    answer_all(page, right=True)
    assert banner.is_visible()
    assert "Lesson complete" in banner.inner_text()
    up_next = page.locator(".course-next")
    assert up_next.get_by_role("heading", name="Up next").is_visible()
    assert banner.evaluate("el => el.compareDocumentPosition(document.querySelector('.course-next')) & 4") == 4

    page.get_by_role("link", name="Previous: Home").click()  # Material's footer
    page.wait_for_url(f"**/{HOME}")
    assert status(page, "Sending Email") == "✓ Complete: quiz passed"
    assert status(page, "The Caching Framework") == "○ Not started"

    card(page, "Sending Email").get_by_role("link", name="Sending Email").click()
    page.wait_for_url(f"**/{SENDING_EMAIL}")
    ready(page)
    assert page.locator(".course-complete").is_visible(), "a passed quiz is still passed after a reload"
    page.locator(".course-next").get_by_role("link", name="The Caching Framework").click()
    page.wait_for_url(f"**/{CACHING}")
    ready(page)
    assert page.locator("h1").first.inner_text().startswith("The Caching Framework")
    assert page.locator(".course-objectives li").count() == 7
    assert page.locator(".course-next").count() == 0, "the last lesson has no 'Up next'"
    assert page.locator(".course-complete").is_hidden()

    # The lesson's fill-in-the-blanks exercise is checked in the page.
    fill = page.locator(".course-fill").first
    fill.wait_for(state="visible")
    for blank, answer in zip(fill.locator("input.course-fill__blank").all(), ["2", "'no banner'", '"grid"', "'list'"]):
        blank.fill(answer)
    fill.locator(".course-fill__check").click()
    assert fill.locator(".course-fill__mark").all_inner_texts() == ["✓ right"] * 3 + ["✗ not right yet"]

    # One answer makes the lesson "in progress" on the home page.
    question = page.locator(".quiz-question").first
    question.locator(".quiz-option[data-quiz-correct] label").first.click()
    question.get_by_role("button", name="Check").click()
    page.locator(".md-nav--primary").get_by_role("link", name="Home", exact=True).click()
    page.wait_for_url(f"**/{HOME}")
    assert status(page, "The Caching Framework") == "◐ In progress: 1 of 10 quiz questions answered"


def test_the_course_from_home_to_the_caching_lesson_from_disk_with_no_network(open_offline, course_site):
    page, guard = open_offline((course_site / HOME).as_uri())
    walk_through_the_course(page)
    assert guard.blocked == []


def test_the_course_from_home_to_the_caching_lesson_over_http(open_served):
    page, guard = open_served(HOME)
    walk_through_the_course(page)
    assert guard.blocked == []


def search(page, words: str):
    """Type into Material's search box like a learner; returns the result links."""
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially(words, delay=20)
    results = page.locator(".md-search-result__item > .md-search-result__link")
    results.first.wait_for(state="visible")
    return results


@pytest.mark.parametrize("where", ["disk", "http"])
def test_search_finds_a_word_of_a_lesson_body_and_opens_the_lesson(open_offline, open_served, course_site, where):
    # "thousandth" is in the caching lesson's first paragraph: not in a title, not on another page.
    page, guard = (open_offline((course_site / HOME).as_uri()) if where == "disk" else open_served(HOME))
    results = search(page, "thousandth")
    assert page.locator(".md-search-result__meta").inner_text() == "1 matching document"
    assert "thousandth" in results.first.inner_text()
    results.first.click()
    page.wait_for_url(f"**/{CACHING}*")
    assert page.locator("h1").first.inner_text().startswith("The Caching Framework")
    assert guard.blocked == []


def test_every_page_has_our_styles_and_scripts_from_disk(open_offline, course_site):
    for path in sorted(course_site.rglob("*.html")):
        if path.name == "404.html":
            continue  # served by a web server for any missing path, so its links start at the site root
        page, guard = open_offline(path.as_uri())
        shown = path.relative_to(course_site)
        header = page.locator(".md-header").evaluate("el => getComputedStyle(el).backgroundColor")
        assert header == "rgb(46, 125, 50)", (shown, header)  # theme.css's primary colour
        assert page.evaluate("typeof window.document$") == "object", shown  # Material's bundle ran
        assert guard.blocked == [], (shown, guard.blocked)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_any_page(open_offline, open_served, course_site, scheme):
    """Every page; lessons after their quiz (Sending Email passed, with its banner; Caching failed),
    then the home page with those statuses and the search dialog open on results."""
    page, _ = open_offline((course_site / HOME).as_uri(), color_scheme=scheme)
    found = {}
    for path in sorted(course_site.rglob("*.html")):
        shown = path.relative_to(course_site).as_posix()
        if shown == "404.html":
            continue
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        if page.locator(".quiz").count():
            answer_all(ready(page), right=shown == SENDING_EMAIL)
        violations = axe_violations(page)
        if violations:
            found[shown] = describe_violations(violations)
    page.goto((course_site / HOME).as_uri())
    assert status(page, "Sending Email").startswith("✓ Complete")
    assert status(page, "The Caching Framework").startswith("◐ In progress")
    assert search(page, "cache").count() > 0
    violations = axe_violations(page)
    if violations:
        found["index.html with statuses and search results"] = describe_violations(violations)
    missing, _ = open_served("404.html", color_scheme=scheme)  # root-relative links: over http only
    violations = axe_violations(missing)
    if violations:
        found["404.html"] = describe_violations(violations)
    assert found == {}, "\n".join(f"{shown}:\n{text}" for shown, text in found.items())


def test_the_lesson_complete_banner_follows_that_lessons_quiz(open_offline, course_site):
    page, _ = open_offline((course_site / SENDING_EMAIL).as_uri())
    answer_all(ready(page), right=True)
    assert page.locator(".course-complete").is_visible()
    page.goto((course_site / CACHING).as_uri())
    ready(page)
    assert page.locator(".course-complete").is_hidden(), "passing one lesson's quiz completes that lesson only"
    page.goto((course_site / SENDING_EMAIL).as_uri())
    ready(page)
    assert page.locator(".course-complete").is_visible()
    page.get_by_role("button", name="Try again").click()
    assert page.locator(".course-complete").is_hidden(), "starting the quiz again takes the banner away"


@pytest.fixture(scope="module")
def instant_course(tmp_path_factory):
    """The two lessons and the home page, built with Material's instant navigation on, served over http."""
    from tests.build.conftest import build_site, make_project

    folder = tmp_path_factory.mktemp("instant-course")
    titles = {"index.md": "Home", "lessons/sending-email.md": "Sending Email",
              "lessons/caching.md": "The Caching Framework"}
    pages = {name: (REPO / "docs" / name).read_text(encoding="utf-8") for name in titles}
    project = make_project(folder / "project", {})
    for name, text in pages.items():
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(text, encoding="utf-8")
    site = folder / "site"
    site.mkdir()
    with serve(site) as base:
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        nav = "".join(f"  - {title}: {name}\n" for name, title in titles.items())
        config = config.replace("nav:\n", "nav:\n" + nav, 1)
        config = config.replace("  features:\n", "  features:\n    - navigation.instant\n", 1)
        # Instant navigation only follows links to site_url's host.
        config = config.replace('site_url: ""', f'site_url: "{base}"', 1)
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        for name in pages:  # links to the playground notebook, which this copy leaves out
            path = project / "docs" / name
            path.write_text(path.read_text(encoding="utf-8").replace("(email-playground.ipynb)", "(sending-email.md)"),
                            encoding="utf-8")
        built = build_site(project, site, COURSE_CACHE_DIR=str(REPO / ".cache" / "runs"))
        assert built.returncode == 0, built.log
        yield base


def test_progress_follows_instant_navigation(browser, instant_course):
    context = browser.new_context()
    guard = NetworkGuard(origin=instant_course)
    guard.attach(context)
    page = context.new_page()
    page.goto(instant_course + HOME)
    assert status(page, "Sending Email") == "○ Not started"
    page.evaluate("window.__sameDocument = true")
    card(page, "Sending Email").get_by_role("link", name="Sending Email").click()
    page.wait_for_url(f"**/{SENDING_EMAIL}")
    ready(page)
    answer_all(page, right=True)
    assert page.locator(".course-complete").is_visible()
    page.locator(".md-nav--primary").get_by_role("link", name="Home", exact=True).click()
    page.wait_for_url(f"**/{HOME}")
    assert status(page, "Sending Email") == "✓ Complete: quiz passed"
    assert page.evaluate("window.__sameDocument === true"), "the pages were swapped by instant navigation"
    context.close()
    assert guard.blocked == []

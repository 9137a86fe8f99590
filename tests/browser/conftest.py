"""Browser-test fixtures: Debian's headless Chromium driven by Playwright, sites over http and file://.

- `browser`: one Chromium for the session (skipped when Chromium or axe-core is
  missing, a failure instead when COURSE_REQUIRE_BROWSER=1, as in CI);
- `open_page(url, **context_options)`: a page in a fresh context (its own
  localStorage); options as for `browser.new_context` (`color_scheme="dark"`,
  `java_script_enabled=False`, `reduced_motion="reduce"`, ...);
- `open_offline(url, **context_options)`: the same for a file:// URL with every
  request that is not file:// blocked; returns (page, guard), `guard.blocked`
  lists what the page tried to fetch;
- `quiz_site` / `quiz_url`: the fixture site of tests/browser/quiz_site, built
  with the course's theme and the quiz, on disk and over http://127.0.0.1;
- `course_site`: the real course, built strictly once (COURSE_SITE=<dir> reuses
  a site built by `make site`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM,
    REPO,
    CHROMIUM_ARGS,
    NetworkGuard,
    build_mkdocs,
    fixture_project,
    missing_tools,
    serve,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    missing = missing_tools()
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("COURSE_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(url: str, **options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def open_offline(browser):
    contexts = []

    def open_(url: str, **options):
        assert url.startswith("file://"), url
        context = browser.new_context(**options)
        contexts.append(context)
        guard = NetworkGuard()
        guard.attach(context)
        page = context.new_page()
        page.goto(url)
        return page, guard

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def course_site(tmp_path_factory) -> Path:
    """The real course, built strictly once; COURSE_SITE=<dir> reuses a site built by `make site`."""
    if os.environ.get("COURSE_SITE"):
        return Path(os.environ["COURSE_SITE"]).resolve()
    site = tmp_path_factory.mktemp("course-for-browser") / "site"
    build_mkdocs(REPO, site)
    return site


@pytest.fixture(scope="session")
def quiz_served(tmp_path_factory) -> tuple[str, Path]:
    """The fixture site, served over http and built for that address (instant navigation needs it)."""
    folder = tmp_path_factory.mktemp("quiz-project")
    site = folder / "site"
    site.mkdir()
    with serve(site) as url:
        project = fixture_project(
            HERE / "quiz_site",
            folder,
            hooks=[str(HERE / "quiz_site" / "quiz_hook.py")],
            # Material's instant navigation only takes links to pages of site_url's host and port.
            site_url=url,
            # Instant navigation on: quiz.js must start on pages it reaches through Material's document$.
            theme={"name": "material", "custom_dir": str(REPO / "overrides"),
                   "features": ["navigation.instant", "navigation.footer", "content.code.copy"]},
            nav=[{"Home": "index.md"}, {"Quiz": "quiz.md"}, {"Another quiz": "other.md"}],
        )
        build_mkdocs(project, site)
        yield url, site


@pytest.fixture(scope="session")
def quiz_site(quiz_served) -> Path:
    return quiz_served[1]


@pytest.fixture(scope="session")
def quiz_url(quiz_served) -> str:
    return quiz_served[0]

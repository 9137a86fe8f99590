"""Notebook pages and lesson downloads in headless Chromium, read from disk with the network blocked."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin
from urllib.request import url2pathname

import pytest

from tests.browser.harness import REPO, build_mkdocs

PLAYGROUND = "lessons/email-playground.html"


@pytest.fixture(scope="module")
def course_site(tmp_path_factory) -> Path:
    """The real course, built strictly; COURSE_SITE=<dir> reuses a site built by `make site`."""
    if os.environ.get("COURSE_SITE"):
        return Path(os.environ["COURSE_SITE"]).resolve()
    site = tmp_path_factory.mktemp("course-for-notebooks") / "site"
    build_mkdocs(REPO, site)
    return site


def luminance(css_color: str) -> float:
    """0 (black) to 1 (white), from `rgb(r, g, b)` or `rgba(...)`."""
    red, green, blue = (float(part) for part in css_color[css_color.index("(") + 1:].rstrip(")").split(",")[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255


def downloaded_file(page) -> Path:
    """The file the page's download link points at."""
    href = page.locator(".course-notebook-download a").get_attribute("href")
    return Path(url2pathname(urljoin(page.url, href).removeprefix("file://")))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_notebook_page_makes_no_request_and_follows_the_color_scheme(open_offline, course_site, scheme):
    page, guard = open_offline((course_site / PLAYGROUND).as_uri(), color_scheme=scheme)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # anything a script would fetch after load
    assert guard.blocked == []
    assert page.locator("body").get_attribute("data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    editor = page.locator(".jupyter-wrapper .jp-InputArea-editor").first
    background = luminance(editor.evaluate("element => getComputedStyle(element).backgroundColor"))
    text = luminance(editor.locator("pre").first.evaluate("element => getComputedStyle(element).color"))
    assert (background > 0.8) if scheme == "light" else (background < 0.3), background
    assert abs(background - text) > 0.4  # the code stays readable on its background


def test_the_notebook_page_shows_the_outputs_and_its_download_link_works(open_offline, course_site):
    page, guard = open_offline((course_site / PLAYGROUND).as_uri())
    outputs = page.locator(".jupyter-wrapper .jp-OutputArea-output")
    assert outputs.count() >= 7
    assert "send_mail returned 1" in page.locator(".jupyter-wrapper").inner_text()
    link = page.get_by_role("link", name="Download this notebook")
    assert link.is_visible()
    assert downloaded_file(page).name == "email-playground.ipynb" and downloaded_file(page).is_file()
    assert guard.blocked == []


def test_a_lesson_offers_its_notebook_for_download_from_disk(open_offline, course_site):
    page, guard = open_offline((course_site / "lessons/sending-email.html").as_uri())
    link = page.get_by_role("link", name="Download as notebook")
    assert link.is_visible()
    box, title = link.bounding_box(), page.locator("h1").first.bounding_box()
    assert box["y"] > title["y"]  # right under the lesson's title
    assert downloaded_file(page).is_file()
    assert guard.blocked == []

"""The built course as a whole: home page, lesson frame, footer, offline search, byte-identical rebuilds."""

from __future__ import annotations

import gzip
import re
import subprocess
from datetime import datetime, timezone

from bs4 import BeautifulSoup

from tests.build.conftest import build_site
from tests.conftest import REPO

LESSONS = ["lessons/sending-email", "lessons/caching"]
NAV_PAGES = ["index.html", "lessons/sending-email.html", "lessons/email-playground.html", "lessons/caching.html"]


def soup(build, path: str) -> BeautifulSoup:
    return BeautifulSoup(build.page(path), "html.parser")


def test_the_home_page_lists_every_lesson_in_nav_order_with_its_card(course_build):
    home = soup(course_build, "index.html")
    cards = home.select("ol.course-lessons .course-card")
    assert [card.select_one(".course-card__link")["href"] for card in cards] == [f"{lesson}.html" for lesson in
                                                                                 LESSONS]
    assert [card.select_one(".course-card__link").get_text() for card in cards] == [
        "Sending Email", "The Caching Framework"]
    assert [card.select_one(".course-card__time").get_text() for card in cards] == [
        "About 30 minutes", "About 40 minutes"]
    assert all(card.select_one(".course-card__summary").get_text().strip() for card in cards)
    # The status of a card is read from the progress its lesson's quiz saves: the keys must match.
    for card, lesson in zip(cards, LESSONS):
        quiz = soup(course_build, f"{lesson}.html").select_one(".quiz[data-quiz]")
        assert card.select_one("[data-course-status]")["data-course-status"] == quiz["data-quiz-page"] == \
            f"{lesson}.md"


def test_a_lesson_starts_with_its_objectives_and_ends_quiz_banner_up_next(course_build):
    page = soup(course_build, "lessons/sending-email.html")
    article = page.select_one("article")
    top = [child for child in article.children if getattr(child, "name", None)]
    names = [(child.name, " ".join(child.get("class", []))) for child in top]
    assert names[0][0] == "h1" and names[1][1] == "course-notebook-download"
    assert names[2][1] == "course-objectives", "the objectives come right under the title"
    assert len(top[2].select("li")) == 6
    assert [name for name in names[-2:]] == [("div", "quiz"), ("div", "course-lesson-end")]
    end = top[-1]
    assert end.select_one(".course-complete")["data-course-complete"] == "lessons/sending-email.md"
    assert end.select_one(".course-complete").has_attr("hidden"), "shown by progress.js once the quiz is passed"
    assert end.select_one(".course-next .course-card__link")["href"] == "caching.html"
    last = soup(course_build, "lessons/caching.html")
    assert last.select_one(".course-objectives") is not None
    assert last.select_one(".course-lesson-end .course-complete") is not None
    assert last.select_one(".course-next") is None, "the last lesson has no 'Up next'"


def test_the_lesson_text_no_longer_carries_its_own_up_next(course_build):
    for lesson in LESSONS:
        text = (REPO / "docs" / f"{lesson}.md").read_text(encoding="utf-8")
        assert "Up next" not in text, lesson
        quiz = text.index("\n## Practice quiz\n")
        assert "\n## " not in text[quiz + 1:].split("\n", 1)[1], f"{lesson}: the quiz must be the last section"


def test_every_page_has_the_previous_next_footer(course_build):
    for number, path in enumerate(NAV_PAGES):
        footer = soup(course_build, path).select_one("nav.md-footer__inner")
        assert footer is not None, path
        assert (footer.select_one(".md-footer__link--prev") is not None) == (number > 0), path
        assert (footer.select_one(".md-footer__link--next") is not None) == (number < len(NAV_PAGES) - 1), path


def test_search_works_from_disk_with_the_vendored_shim(course_build):
    index = (course_build.site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert index.startswith("var __index = {")
    assert "thousandth" in index
    shim = REPO / "overrides/assets/vendor/iframe-worker/shim.js"
    assert (course_build.site / "assets/vendor/iframe-worker/shim.js").read_bytes() == shim.read_bytes()
    assert "iframe-worker 1.0.4" in shim.read_text().splitlines()[0] and "MIT" in shim.read_text().splitlines()[0]
    for path in course_build.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "iframe-worker/shim" in text, path
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path


def commit_day() -> datetime:
    """The day (UTC) of the commit checked out."""
    epoch = int(subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True,
                               text=True, check=True).stdout.strip())
    return datetime.fromtimestamp(epoch, timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def test_the_sitemap_is_dated_by_the_commit_not_by_the_day_of_the_build(course_build):
    day = commit_day()
    sitemap = (course_build.site / "sitemap.xml").read_text(encoding="utf-8")
    # <lastmod> only appears when site_url is set (a deployment); then it is the commit's day.
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) <= {day.strftime("%Y-%m-%d")}
    packed = (course_build.site / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == int(day.timestamp())  # the gzip header's date
    assert gzip.decompress(packed).decode("utf-8") == sitemap


def test_two_clean_builds_of_the_same_commit_are_byte_identical(course_build, tmp_path):
    again = build_site(REPO, tmp_path / "site", COURSE_CACHE="off")  # every example really runs again
    assert again.returncode == 0, again.log
    first = {path.relative_to(course_build.site).as_posix(): path for path in course_build.site.rglob("*")
             if path.is_file()}
    second = {path.relative_to(again.site).as_posix(): path for path in again.site.rglob("*") if path.is_file()}
    assert sorted(first) == sorted(second)
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.json", "search/search_index.js"} <= set(first)
    different = [name for name in sorted(first) if first[name].read_bytes() != second[name].read_bytes()]
    assert different == []

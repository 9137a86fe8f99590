"""Strict builds with exercises and the email preview: what a learner sees, and what stops a broken exercise."""

from __future__ import annotations

import base64
import html
import re

from tests.build.conftest import build_site, make_project
from tests.conftest import SNIPPETS
from tests.unit.test_exercises import GOOD

LESSON = "lessons/sending-email.html"


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def previews(page_html: str) -> list[str]:
    """The Preview tab of every run block on a page, in order."""
    return re.findall(r'<div class="tabbed-block"><div class="course-mail">(.*?)</div></div></div></div>',
                      page_html, flags=re.S)


def header_rows(preview: str) -> dict[str, str]:
    return {text_of(label): text_of(value)
            for label, value in re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', preview)}


# -- the lesson ----------------------------------------------------------------------------


def test_the_newsletter_preview_shows_the_real_headers_body_and_the_bcc_note(course_build):
    page = course_build.page(LESSON)
    newsletter = next(preview for preview in previews(page) if "This month&#x27;s pick: Dune" in preview)
    assert header_rows(newsletter) == {
        "From": "club@example.com",
        "To": "ada@example.com, grace@example.com",
        "Cc": "organiser@example.com",
        "Reply-To": "organiser@example.com",
        "Subject": "This month's pick: Dune",
        "Date": "Mon, 01 Jun 2026 09:00:00 +0000",
        "List-Unsubscribe": "<https://bookshelf.example.com/unsubscribe/>",
    }
    bcc = text_of(re.search(r'<p class="course-mail__bcc">(.*?)</p>', newsletter).group(1))
    assert bcc.startswith("Bcc: archive@example.com")
    assert "only in the envelope" in bcc and "never appear in the message" in bcc
    body = text_of(re.search(r'<pre class="course-mail__text"><code>(.*?)</code></pre>', newsletter).group(1))
    assert body == "Our next book is Dune by Frank Herbert. See you on Thursday!"


def test_the_report_preview_lists_its_attachments_with_their_real_sizes_and_bytes(course_build):
    page = course_build.page(LESSON)
    report = next(preview for preview in previews(page) if "Sales report" in preview)
    assert header_rows(report)["To"] == "ada@example.com" and "course-mail__bcc" not in report
    items = re.findall(r"<li>(.*?)</li>", report)
    summary_text = b"Books sold: 269\nNew members: 37\n"
    csv = (SNIPPETS / "files/report.csv").read_bytes()
    assert [text_of(item) for item in items] == [
        f"summary.txt text/plain, {len(summary_text)} bytes", f"report.csv text/csv, {len(csv)} bytes"]
    links = [html.unescape(re.search(r'href="([^"]+)"', item).group(1)) for item in items]
    assert links == ["data:text/plain;base64," + base64.b64encode(summary_text).decode(),
                     "data:text/csv;base64," + base64.b64encode(csv).decode()]


def test_the_welcome_preview_has_the_text_body_and_the_html_in_a_sandboxed_frame(course_build):
    page = course_build.page(LESSON)
    welcome = next(preview for preview in previews(page) if "Welcome to Bookshelf, Sam O&#x27;Brien!" in preview)
    assert "Plain-text version" in welcome and "Hi Sam O&#x27;Brien," in welcome
    frame = re.search(r"<iframe ([^>]*)></iframe>", welcome).group(1)
    assert frame.startswith('sandbox="" srcdoc="')
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1))
    assert "<h1>Welcome, Sam O&#x27;Brien!</h1>" in srcdoc  # the HTML template's own escaping
    assert "Content-Security-Policy" in srcdoc


def test_several_messages_from_one_block_are_numbered(course_build):
    page = course_build.page(LESSON)
    mass = next(preview for preview in previews(page) if "This example sent 3 messages" in preview)
    assert re.findall(r"Message (\d) of 3", mass) == ["1", "2", "3"]
    assert [header_rows(part)["To"] for part in mass.split('class="course-mail__message"')[1:]] == [
        "ada@example.com", "grace@example.com", "alan@example.com, linus@example.com"]


def test_every_block_that_sent_mail_has_a_preview_and_tab_ids_are_unique(course_build):
    page = course_build.page(LESSON)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    tab_sets = re.findall(r'data-tabs="(course-run-\d+):2"', page)
    assert len(tab_sets) == len(previews(page)) >= 6


def test_the_lesson_practice_has_a_fill_in_the_blank_and_a_function_exercise(course_build):
    page = course_build.page(LESSON)
    fill = re.search(r'<div class="course-fill".*?</details>', page, flags=re.S).group(0)
    assert re.findall(r'aria-label="(blank \d of \d)"', fill) == ["blank 1 of 3", "blank 2 of 3", "blank 3 of 3"]
    exercise = re.search(r'<div class="course-exercise"[^>]*>', page).group(0)
    assert 'data-exercise-src="exercises/order_confirmation.py"' in exercise
    assert page.count('data-exercise-part="solution"') == 1
    assert "../assets/exercises.js" in page and "../assets/exercises.css" in page
    assert "../assets/email-preview.css" in page


# -- broken exercises fail the build --------------------------------------------------------

BROKEN_FILL = """\
    # Broken blanks

    ```python fill
    from django.core.mail import send_mail
    sent = send_mail("Hi", "Body", None, ["a@example.com", "b@example.com"], using="outbox")
    assert sent == {~1|2~}
    ```
    """

EXERCISE_PAGE = """\
    # {title}

    /// exercise | {title}
        src: exercises/{name}.py

    Write `double(n)`.
    ///
    """


def test_a_broken_answer_a_passing_starter_and_a_failing_solution_each_fail_the_build(tmp_path):
    project = make_project(tmp_path / "project", {
        "blanks.md": BROKEN_FILL,
        "starter.md": EXERCISE_PAGE.format(title="Too easy", name="easy"),
        "solution.md": EXERCISE_PAGE.format(title="Wrong solution", name="wrong"),
        "good.md": EXERCISE_PAGE.format(title="Fine", name="good"),
    })
    exercises = project / "snippets" / "exercises"
    (exercises / "easy.py").write_text(GOOD.replace("def double(n):\n    ...", "def double(n):\n    return n * 2"))
    (exercises / "wrong.py").write_text(GOOD.replace("return 2 * n", "return abs(2 * n)"))
    (exercises / "good.py").write_text(GOOD)
    build = build_site(project, tmp_path / "site")
    assert build.returncode != 0
    assert ("docs/blanks.md:6: blank 1 of 1: with the accepted answer '2', the code raised AssertionError"
            in build.log)
    assert ("snippets/exercises/easy.py:3: starter section: the starter passes every test "
            "(exercise 'Too easy' on docs/starter.md:3)") in build.log
    assert ("snippets/exercises/wrong.py:20: tests section: the solution fails test_negative(): "
            "it raised AssertionError") in build.log
    assert "good.py" not in build.log
    assert "3 example block(s) failed" in build.log
    # The pages are written before the build stops: each shows what its check found, where the exercise is.
    blanks = (build.site / "blanks.html").read_text(encoding="utf-8")
    failure = blanks.index("This exercise failed its check when the site was built")
    assert blanks.index('<div class="course-fill"') < failure < blanks.index("course-fill__how")
    assert "the code raised AssertionError" in text_of(blanks)
    assert "failed its check" in (build.site / "starter.html").read_text(encoding="utf-8")
    good = (build.site / "good.html").read_text(encoding="utf-8")
    assert 'data-exercise="function"' in good and "failed its check" not in good and "course-check" not in good


def test_an_exercise_block_pymdownx_cannot_read_fails_the_build(tmp_path):
    project = make_project(tmp_path / "project", {
        "typo.md": "# T\n\n/// exercise | Double it\n    src: [exercises/good.py\n\nTask.\n///\n"})
    build = build_site(project, tmp_path / "site")
    assert build.returncode != 0
    assert "docs/typo.md:4: the exercise's options are not valid YAML" in build.log
    assert "'typo.md': line 3: '/// exercise | Double it' was left as plain text" in build.log

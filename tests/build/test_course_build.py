"""Strict builds: the real course shows Django's real output; broken examples fail by page:line."""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

from tests.build.conftest import build_site, make_project, mkdocs
from tests.conftest import REPO

LESSON = "lessons/sending-email.html"


def outputs(page_html: str) -> list[str]:
    """The text of every example's output on a page, unescaped, in order."""
    found = re.findall(r'<div class="course-run__output".*?</div>', page_html, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in found]


def test_every_example_of_the_lesson_ran_and_shows_its_output(course_build):
    page = course_build.page(LESSON)
    source = (REPO / "docs/lessons/sending-email.md").read_text()
    assert page.count('class="course-run"') == source.count("```python run")
    assert 'data-run-status="failed"' not in page
    assert len(outputs(page)) == source.count("```python run")


def test_send_mail_to_three_recipients_is_one_message_and_returns_1(course_build):
    texts = outputs(course_build.page(LESSON))
    three = next(text for text in texts if "To: ada@example.com, grace@example.com, alan@example.com" in text)
    assert three.count("Subject: ") == 1
    assert "From: Django Course <course@example.com>" in three
    assert three.rstrip().endswith("send_mail returned 1")


def test_common_errors_are_shown_from_real_exceptions(course_build):
    texts = "\n".join(outputs(course_build.page(LESSON)))
    assert "ConnectionRefusedError: [Errno 111] Connection refused" in texts
    assert 'TypeError: "to" argument must be a list or tuple' in texts
    assert "ValueError: Header values may not contain linefeed or carriage return characters" in texts


def test_bcc_is_in_the_envelope_only(course_build):
    texts = outputs(course_build.page(LESSON))
    sent = [text for text in texts if "Cc: " in text and "Reply-To: " in text]
    assert sent, "the EmailMessage example with cc and reply_to is missing"
    assert all("Bcc" not in text.split("\n\n")[0] for text in sent)


def test_nothing_of_the_build_machine_reaches_the_page(course_build):
    page = course_build.page(LESSON)
    for leak in (str(REPO), "site-packages", socket.gethostname(), "/tmp/pytest"):
        assert leak not in page, leak
    assert not re.search(r"0x[0-9a-f]{8,}", page)


def test_the_same_sources_give_byte_identical_pages_whatever_the_worker_count(course_build, tmp_path):
    again = build_site(REPO, tmp_path / "site", COURSE_CACHE="off", COURSE_WORKERS="1")
    assert again.returncode == 0, again.log
    for page in sorted(course_build.site.rglob("*.html")):
        relative = page.relative_to(course_build.site)
        assert page.read_bytes() == (again.site / relative).read_bytes(), relative


def test_the_site_makes_no_request_to_another_host(course_build):
    for page in course_build.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        loaded = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', text)
        assert loaded == [], (page, loaded)
        assert "fonts.googleapis" not in text and "cdn.jsdelivr" not in text, page


BROKEN_PAGE = """\
    # Broken

    ```python run
    print("fine")
    ```

    Some prose.

    ```python run
    x = 1
    1 / 0
    ```

    ```python run raises="TypeError"
    print("no error here")
    ```
    """


def test_every_failing_block_is_reported_with_page_and_line_and_the_build_fails(tmp_path):
    project = make_project(tmp_path / "project", {"broken.md": BROKEN_PAGE})
    build = build_site(project, tmp_path / "site")
    assert build.returncode != 0
    assert "docs/broken.md:11: the example raised ZeroDivisionError: division by zero" in build.log
    assert 'docs/broken.md:14: the block is marked raises="TypeError" but raised nothing' in build.log
    assert "2 example block(s) failed" in build.log


def test_a_mistyped_option_fails_the_build_instead_of_passing_silently(tmp_path):
    project = make_project(tmp_path / "project", {"typo.md": '# T\n\n```python run isolate\nprint(1)\n```\n'})
    build = build_site(project, tmp_path / "site")
    assert build.returncode != 0
    assert "docs/typo.md:3: unknown option 'isolate' on a `python run` block" in build.log


def test_a_broken_settings_file_is_reported_clearly(tmp_path):
    project = make_project(tmp_path / "project", {"ok.md": "# T\n\n```python run\nprint(1)\n```\n"})
    settings = project / "snippets/course_settings.py"
    settings.write_text(settings.read_text() + "\nMAILERS = {\n")
    build = build_site(project, tmp_path / "site")
    assert build.returncode != 0
    assert "Django could not be set up with snippets/course_settings.py" in build.log
    assert "SyntaxError" in build.log


def test_execution_can_be_switched_off_for_a_prose_preview(tmp_path):
    project = make_project(tmp_path / "project", {"off.md": BROKEN_PAGE})
    build = build_site(project, tmp_path / "site", COURSE_EXECUTE="off")
    assert build.returncode == 0, build.log
    assert "course-run__output" not in build.page("off.html")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_keeps_serving_and_shows_the_error_in_the_page(tmp_path):
    project = make_project(tmp_path / "project", {"broken.md": BROKEN_PAGE})
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        page = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/broken.html", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.25)
        assert server.poll() is None, server.stdout.read()
        assert page is not None
        assert 'role="alert"' in page
        assert "docs/broken.md:11: the example raised ZeroDivisionError" in html.unescape(page)
    finally:
        server.terminate()
        server.communicate(timeout=30)

"""`mkdocs serve`: a saved edit reruns only stale blocks; a snippet edit rebuilds the pages using it."""

from __future__ import annotations

import html
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.build.conftest import make_project

PAGES = {
    "first.md": """\
        # First

        ```python run
        print("first page, block one")
        ```

        ```python run
        from django.template.loader import render_to_string
        print(render_to_string("note.txt").strip())
        ```
        """,
    "second.md": """\
        # Second

        ```python run
        print("second page")
        ```

        ```text
        --8<-- "files/notice.txt"
        ```
        """,
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, project: Path, *args: str):
        self.port = _free_port()
        self.log_path = project / "serve.log"
        self.log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--no-strict", *args, "-a", f"127.0.0.1:{self.port}"],
            cwd=project, stdout=self.log_file, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def log(self) -> str:
        return self.log_path.read_text()

    def page(self, name: str) -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{name}", timeout=2) as response:
                return html.unescape(response.read().decode())
        except OSError:
            return None

    def wait_for(self, condition, what: str, seconds: float = 60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            assert self.process.poll() is None, self.log()
            time.sleep(0.2)
        pytest.fail(f"waited {seconds} s for {what}; server log:\n{self.log()}")

    def example_lines(self) -> list[str]:
        return re.findall(r"Examples: .*", self.log())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log_file.close()


@pytest.fixture()
def project(tmp_path):
    folder = make_project(tmp_path / "project", PAGES)
    (folder / "snippets/templates/note.txt").write_text("a note from a template\n")
    (folder / "snippets/files/notice.txt").write_text("notice, version one\n")
    return folder


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve --dirty"])
def test_editing_and_saving_reruns_only_what_is_stale(project, dirty):
    server = Server(project, *(["--dirty"] if dirty else []))
    try:
        server.wait_for(lambda: "first page, block one" in (server.page("first.html") or ""), "the first build")
        assert "3 ran, 0 cached" in server.example_lines()[0]

        page = project / "docs/first.md"
        page.write_text(page.read_text().replace('print(render_to_string("note.txt").strip())',
                                                 'print(render_to_string("note.txt").upper().strip())'))
        server.wait_for(lambda: "A NOTE FROM A TEMPLATE" in (server.page("first.html") or ""), "the edited block")
        assert re.search(r"1 ran, 1 cached, 1 replayed, 0 failed", server.example_lines()[-1])

        (project / "snippets/templates/note.txt").write_text("the note was edited\n")
        server.wait_for(lambda: "THE NOTE WAS EDITED" in (server.page("first.html") or ""), "the template edit")
        assert re.search(r"1 ran, 1 cached, 1 replayed, 0 failed", server.example_lines()[-1])

        (project / "snippets/files/notice.txt").write_text("notice, version two\n")
        server.wait_for(lambda: "notice, version two" in (server.page("second.html") or ""),
                        "the page including the edited snippet to be rebuilt")
        assert re.search(r"0 ran, 3 cached", server.example_lines()[-1])
    finally:
        server.stop()

"""The course's examples in a process of their own, so that they run while MkDocs renders.

While the build renders pages, its process is busy and holds Python's global
lock: threads of that process driving sessions would wait for it at every
message a session sends (measured: the same sessions took four times as long),
and scanning pages and reading the cache there would add to the build's time.
So the build hands the pages' sources to a driver process (driver.py), which
scans them, looks their blocks up in the cache, runs the rest with a `Runner`
and sends back each page's `PageRun` as soon as the page is done, in page
order. The build reads them when a page needs them; nothing of the build runs
in a thread.

Both processes are the build's own; each session still runs in the sandbox.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..blocks import RunBlock
from ..execution import CourseRun, PageRun
from .client import Runner, RunnerError

_LENGTH = 8  # bytes of the length that precedes each message


def send_message(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_LENGTH, "big") + data)
    stream.flush()


def receive_message(stream: BinaryIO) -> object | None:
    """The next message, or None at the end of the stream."""
    header = stream.read(_LENGTH)
    if len(header) < _LENGTH:
        return None
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


@dataclass(frozen=True)
class CacheSettings:
    """Where the results cache is and how to use it (see cache.ResultCache)."""

    folder: Path
    settings_file: Path
    mode: str = "on"


class RunnerProcess:
    """Runs a course's examples (`start_course`) in a driver process, with a `Runner` there."""

    def __init__(self, **options):
        checked = Runner(**options)  # a mistake in the options is reported here, by the build
        self.snippets_dir = checked.snippets_dir
        self.settings_module = checked.settings_module
        self.workers = checked.workers
        self._options = {**options, "sandbox": checked.sandbox}
        self._process: subprocess.Popen | None = None
        self._courses = 0

    def launch(self) -> None:
        """Start the driver (again, if it died: mkdocs serve goes on); it starts the warm parent when a
        session first has to run."""
        if self._process is not None:
            if self._process.poll() is None:
                return
            self._process.stdin.close()
            self._process.stdout.close()
        hooks_dir = Path(__file__).resolve().parents[2]
        self._process = subprocess.Popen(
            [sys.executable, "-s", str(Path(__file__).with_name("driver.py")), str(hooks_dir)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd="/", start_new_session=True)
        send_message(self._process.stdin, self._options)

    def start_course(self, pages: dict[str, str], notebooks: dict[str, list[RunBlock]] | None = None,
                     cache: CacheSettings | None = None, lessons: frozenset[str] = frozenset()) -> CourseRun:
        """Send the course to the driver; the returned run reads each page's results when waited for.

        Pages come back in this order: notebooks first, then `pages` as given
        (see execution.CourseExecution). For each page in `lessons`, the driver
        also makes the lesson's notebook (`CourseRun.notebooks`).
        """
        self.launch()
        self._courses += 1
        number = self._courses
        notebooks = notebooks or {}
        try:
            send_message(self._process.stdin, ("course", number, pages, notebooks, cache, frozenset(lessons)))
        except BrokenPipeError:
            pass  # reported when the first page is waited for, with the driver's exit code
        return CourseRun.expecting([*notebooks, *pages], iter(lambda: self._next_page(number), None))

    def _next_page(self, number: int) -> PageRun:
        while True:
            message = receive_message(self._process.stdout)
            if message is None:
                code = self._process.wait()
                raise RunnerError(f"the examples' driver process ended unexpectedly (exit code {code})")
            kind, course, *rest = message
            if course != number:
                continue  # left over from a build that stopped half-way (mkdocs serve)
            if kind == "error":
                raise RunnerError(rest[0])
            if kind == "page":
                return rest[0]

    def close(self, wait: bool = True) -> None:
        """End the driver (after the sessions it is running); `wait=False` lets it end on its own."""
        if self._process is None:
            return
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        if not wait:  # the build is over and has every result: no need to watch the driver tidy up
            self._process.stdout.close()
            self._process.returncode = 0  # not waited for on purpose (no warning when it is collected)
            self._process = None
            return
        try:
            while receive_message(self._process.stdout) is not None:
                pass
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._process.stdout.close()
        self._process = None

    def __enter__(self) -> RunnerProcess:
        self.launch()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

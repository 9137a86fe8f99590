"""The driving side of the runner: start the warm parent, drive sessions, judge results.

The build uses it from its driver process (background.py); tests use it directly.
Each session is driven by one thread: it sends a block, reads the
output pipe and the control socket until the block is done, and enforces the
block's time limit by killing the session. Sessions run in parallel, up to
`workers` at a time.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..blocks import RunBlock
from ..errors import AuthorError
from . import determinism, protocol
from .sandbox import Limits

OUTPUT_LIMIT = 64 * 1024
_GRACE = 5.0  # seconds allowed for a session to start or to end after its last block


class RunnerError(RuntimeError):
    """The runner itself could not work (not a mistake in one block)."""


@dataclass
class BlockResult:
    """What one block did, and whether the build accepts it."""

    block: RunBlock
    output: str = ""
    traceback: str | None = None
    error: AuthorError | None = None
    seconds: float = 0.0
    exception_type: str | None = None
    reads: tuple[str, ...] = ()  # files under snippets/ it opened, e.g. "templates/emails/welcome.txt"
    emails: list[dict] = field(default_factory=list)  # what it sent, see mail_capture.describe

    def cacheable_fields(self) -> dict:
        return {"output": self.output, "traceback": self.traceback, "exception_type": self.exception_type,
                "seconds": self.seconds, "emails": self.emails}

    @property
    def failed(self) -> bool:
        return self.error is not None


@dataclass
class _Session:
    control: socket.socket
    output: int
    pid: int
    alive: bool = True
    exit_code: int | None = None
    notes: list[str] = field(default_factory=list)


class Runner:
    """Runs blocks in sandboxed sessions forked from one warm Django process."""

    def __init__(self, *, repo: Path, snippets_dir: Path, settings_module: str = "course_settings",
                 files_dir: Path | None = None, sandbox: str | None = None, limits: Limits = Limits(),
                 output_limit: int = OUTPUT_LIMIT, workers: int | None = None):
        self.repo = repo.resolve()
        self.snippets_dir = snippets_dir.resolve()
        self.files_dir = (files_dir or self.snippets_dir / "files").resolve()
        self.settings_module = settings_module
        self.sandbox = sandbox or os.environ.get("COURSE_SANDBOX", "namespaces")
        if self.sandbox not in ("namespaces", "off"):
            raise RunnerError(f"COURSE_SANDBOX={self.sandbox!r}: use 'namespaces' (the default) or 'off'")
        self.limits = limits
        self.output_limit = output_limit
        self.workers = workers or os.cpu_count() or 1
        self.django_version: str | None = None
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._spawn_lock = threading.Lock()
        self._ready = False
        self._pool: ThreadPoolExecutor | None = None
        self._paths = determinism.machine_paths(
            self.repo, sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}),
            sysconfig.get_path("stdlib"))

    # -- the warm parent -------------------------------------------------

    def launch(self) -> None:
        """Start the warm parent without waiting for it (Django sets up meanwhile)."""
        if self._process is not None:
            return
        hooks_dir = Path(__file__).resolve().parents[2]
        ours, theirs = socket.socketpair()
        config = {
            "control_fd": theirs.fileno(),
            "hooks_dir": str(hooks_dir),
            "snippets_dir": str(self.snippets_dir),
            "files_dir": str(self.files_dir),
            "settings_module": self.settings_module,
            "sandbox": self.sandbox,
            "limits": asdict(self.limits),
            "hidden": [str(path) for path in self._hidden_folders()],
            "needed": [str(path) for path in self._needed_folders(hooks_dir)],
        }
        self._process = subprocess.Popen(
            [sys.executable, "-s", str(Path(__file__).with_name("zygote.py")), json.dumps(config)],
            env=_scrubbed_environment(), pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
            cwd="/", start_new_session=True,
        )
        theirs.close()
        self._control = ours
        self._ready = False

    def start(self) -> None:
        """Start the warm parent if needed and wait until Django is set up."""
        self.launch()
        if self._ready:
            return
        message, _ = protocol.receive(self._control)
        if message is None or message.get("op") != "ready":
            detail = message.get("traceback", "") if message else "the process ended without a word"
            self.close()
            raise RunnerError(f"Django could not be set up with snippets/{self.settings_module}.py:\n{detail}")
        self.django_version = message["django"]
        self._ready = True

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            try:
                self._process.wait(timeout=_GRACE)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def __enter__(self) -> Runner:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _hidden_folders(self) -> list[Path]:
        folders = {Path("/root"), Path.home(), self.repo / ".git"}
        return sorted(path.resolve() for path in folders if path.is_dir())

    def _needed_folders(self, hooks_dir: Path) -> list[Path]:
        """What sessions must see, under the paths Python knows it by and (for links) the real ones."""
        folders = {Path(sys.prefix), Path(sys.base_prefix), hooks_dir, self.snippets_dir}
        return sorted({path.absolute() for path in folders} | {path.resolve() for path in folders})

    # -- sessions --------------------------------------------------------

    def submit(self, sessions: list[list[RunBlock]]) -> list[Future[list[BlockResult]]]:
        """Queue independent sessions: they start in this order, up to `workers` at a time."""
        self.start()
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="course-session")
        return [self._pool.submit(self.run_session, blocks) for blocks in sessions]

    def run_sessions(self, sessions: list[list[RunBlock]]) -> list[list[BlockResult]]:
        """Run independent sessions in parallel; results in the same order."""
        return [future.result() for future in self.submit(sessions)]

    def run_session(self, blocks: list[RunBlock]) -> list[BlockResult]:
        """Run blocks in order in one fresh session; every block gets a result."""
        self.start()
        session = self._spawn()
        results: list[BlockResult] = []
        try:
            for block in blocks:
                if not session.alive:
                    results.append(self._not_run(block, results))
                    continue
                results.append(self._run_block(session, block))
        finally:
            self._end(session)
        return results

    def _spawn(self) -> _Session:
        with self._spawn_lock:
            protocol.send(self._control, {"op": "spawn"})
            message, fds = protocol.receive(self._control, want_fds=2)
        if message is None or len(fds) != 2:
            raise RunnerError("the warm Django process stopped answering")
        control = socket.socket(fileno=fds[0])
        output = fds[1]
        os.set_blocking(output, False)
        control.settimeout(_GRACE)
        started, _ = protocol.receive(control)
        if not started or started.get("op") != "started":
            raise RunnerError(f"a sandboxed session could not start:\n{(started or {}).get('error', '')}")
        ready, _ = protocol.receive(control)
        if not ready or ready.get("op") != "ready":
            raise RunnerError(f"a sandboxed session could not start:\n{(ready or {}).get('error', '')}\n"
                              "On a machine that forbids namespaces, COURSE_SANDBOX=off runs examples "
                              "with resource limits only (trusted sources only).")
        control.settimeout(None)
        return _Session(control, output, started["pid"])

    def _run_block(self, session: _Session, block: RunBlock) -> BlockResult:
        started = time.monotonic()
        protocol.send(session.control, {"code": block.code, "warnings": block.options.warnings})
        outcome, captured, size = self._wait_for_block(session, started + block.options.timeout)
        result = BlockResult(block, seconds=time.monotonic() - started)
        result.output = self._present_output(captured, size)
        result.reads = tuple((outcome or {}).get("reads", ()))
        result.emails = (outcome or {}).get("emails", [])
        if outcome is None:
            result.error = self._session_death(block, session)
        elif outcome["status"] == "raised":
            self._judge_exception(result, outcome["exception"])
        elif block.options.raises:
            result.error = AuthorError(block.page, block.line,
                                       f'the block is marked raises="{block.options.raises}" but raised nothing',
                                       "make the example raise, or remove raises=")
        return result

    def _wait_for_block(self, session: _Session, deadline: float) -> tuple[dict | None, bytes, int]:
        """Read output until the block reports, the session dies, or time runs out."""
        captured = bytearray()
        size = 0
        with selectors.DefaultSelector() as selector:
            selector.register(session.control, selectors.EVENT_READ, "control")
            selector.register(session.output, selectors.EVENT_READ, "output")
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._kill(session)
                    session.notes.append("timeout")
                    return None, bytes(captured), size
                for key, _ in selector.select(remaining):
                    if key.data == "output":
                        size += self._read_output(session.output, captured, selector)
                        continue
                    message, _ = protocol.receive(session.control)
                    if message is not None and "status" in message:
                        size += self._read_output(session.output, captured, selector)
                        return message, bytes(captured), size
                    session.alive = False
                    if message is not None and message.get("op") == "exit":
                        session.exit_code = message["code"]
                    size += self._read_output(session.output, captured, selector)
                    return None, bytes(captured), size

    def _read_output(self, fd: int, captured: bytearray, selector: selectors.BaseSelector) -> int:
        """Read what is waiting in the output pipe; keep up to the limit, count the rest."""
        total = 0
        while True:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                return total
            if not chunk:
                try:
                    selector.unregister(fd)
                except KeyError:
                    pass
                return total
            total += len(chunk)
            room = self.output_limit - len(captured)
            if room > 0:
                captured += chunk[:room]

    def _present_output(self, captured: bytes, size: int) -> str:
        text = determinism.scrub(captured.decode("utf-8", errors="replace"), self._paths)
        if size > len(captured):
            text += (f"\n[output truncated: the example printed {size:,} bytes; "
                     f"the first {self.output_limit:,} are shown]\n")
        return text

    def _judge_exception(self, result: BlockResult, exception: dict) -> None:
        block = result.block
        result.traceback = determinism.scrub(exception["traceback"], self._paths)
        result.exception_type = exception["type"]
        expected = block.options.raises
        where = self._where(block, exception.get("line"))
        if expected is None:
            hint = 'fix the example, or mark it raises="%s" if the error is the point' % exception["type"]
            if {"builtins.DeprecationWarning", "builtins.PendingDeprecationWarning"} & set(exception["classes"]):
                hint = ('the course teaches the current Django API: replace the deprecated call, or add '
                        'warnings="show" to show the warning instead (for a "before 6.1" aside)')
            result.error = AuthorError(where.path, where.line, f"the example raised {exception['message']}", hint)
        elif not _names_class(expected, exception["classes"]):
            result.error = AuthorError(where.path, where.line,
                                       f'the block is marked raises="{expected}" but raised {exception["message"]}',
                                       f'correct raises= (it raised {exception["type"]}) or the example')

    def _where(self, block: RunBlock, code_line: int | None):
        return block.origin(code_line) if code_line else block.origin(0)

    def _session_death(self, block: RunBlock, session: _Session) -> AuthorError:
        if "timeout" in session.notes:
            return AuthorError(block.page, block.line,
                               f"the example did not finish within {block.options.timeout:g} seconds and was stopped",
                               'make it finish sooner, or give it more time with timeout="SECONDS"')
        code = session.exit_code
        how = (f"was killed by signal {signal.Signals(-code).name}" if code is not None and code < 0
               else f"ended its process with exit code {code}" if code is not None
               else "ended its process")
        return AuthorError(block.page, block.line, f"the example {how} before it finished",
                           "examples must not exit the interpreter; memory and CPU are limited "
                           f"({self.limits.memory_bytes // 2**20} MiB, {self.limits.cpu_seconds} s a session)")

    def _not_run(self, block: RunBlock, earlier: list[BlockResult]) -> BlockResult:
        last = next(result for result in reversed(earlier) if result.error is not None)
        return BlockResult(block, error=AuthorError(
            block.page, block.line, f"not run: its session ended at the block on line {last.block.line}",
            "fix that block first"))

    def _kill(self, session: _Session) -> None:
        session.alive = False
        try:
            if self.sandbox == "namespaces":
                os.kill(session.pid, signal.SIGKILL)  # the namespace's init: everything in it dies
            else:
                os.killpg(session.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _end(self, session: _Session) -> None:
        """Let the session exit (ending whatever it started) and wait for the keeper's report."""
        try:
            if session.alive:
                session.control.shutdown(socket.SHUT_WR)
                session.control.settimeout(_GRACE)
                while True:
                    message, _ = protocol.receive(session.control)
                    if message is None or message.get("op") == "exit":
                        break
        except (OSError, TimeoutError):
            pass
        finally:
            if self.sandbox == "off" or session.alive:
                self._kill(session)
            session.control.close()
            os.close(session.output)


def _names_class(expected: str, classes: list[str]) -> bool:
    """raises="X" matches the exception's class or a base class, by name or dotted path."""
    return any(expected == dotted or expected == dotted.rsplit(".", 1)[-1] for dotted in classes)


def _scrubbed_environment() -> dict[str, str]:
    """All a session may know of the build's environment: nothing secret."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "HOME": "/nonexistent",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUTF8": "1",
    }

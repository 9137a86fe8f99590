"""Inside a session process: run the blocks it is sent, one after another.

Blocks share one namespace, like notebook cells. Whatever a block writes to
file descriptors 1 and 2 (print, logging, Django's console mail backend, a
subprocess) goes into the output pipe the build reads; when a block is done
the session answers on its control socket with how it ended.
"""

from __future__ import annotations

import linecache
import os
import socket
import sys
import traceback
import types
import warnings

from . import determinism, mail_capture, protocol

BLOCK_FILE_PREFIX = "<block "


def serve(control: socket.socket, watched: dict[str, str]) -> None:
    """Run blocks until the build closes the socket.

    `watched` maps folders to the names the build knows them by (the snippets
    folder to "", the working directory to "files/"): files opened below them
    are reported with each block, so the cache knows what a result depends on.
    """
    determinism.start_session()
    reads: set[str] = set()
    sys.addaudithook(_read_recorder(watched, reads))
    # Blocks run in a real __main__ module, so what they define can be pickled (cached, sent...).
    main = types.ModuleType("__main__")
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    namespace = main.__dict__
    number = 0
    while True:
        request, _ = protocol.receive(control)
        if request is None:
            return
        number += 1
        outcome = run_block(request["code"], f"{BLOCK_FILE_PREFIX}{number}>", request["warnings"], namespace)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        outcome["reads"] = sorted(reads)
        outcome["emails"] = mail_capture.take()
        reads.clear()
        protocol.send(control, outcome)


def _read_recorder(watched: dict[str, str], reads: set[str]):
    folders = [(folder.rstrip("/") + "/", shown) for folder, shown in watched.items()]

    def record(event: str, args: tuple) -> None:
        if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        for folder, shown in folders:
            if path.startswith(folder):
                reads.add(shown + _source_of(path[len(folder):]))
                return

    return record


def _source_of(relative: str) -> str:
    """A module's source for its cached bytecode: `pkg/__pycache__/m.cpython-312.pyc` -> `pkg/m.py`."""
    folder, _, name = relative.rpartition("__pycache__/")
    if not name.endswith(".pyc"):
        return relative
    return folder + name.split(".", 1)[0] + ".py"


def run_block(code: str, filename: str, warning_mode: str, namespace: dict) -> dict:
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    with warnings.catch_warnings():
        action = "always" if warning_mode == "show" else "error"
        warnings.simplefilter(action, DeprecationWarning)
        warnings.simplefilter(action, PendingDeprecationWarning)
        try:
            exec(compile(code, filename, "exec", dont_inherit=True), namespace)
        except BaseException as error:  # SystemExit and KeyboardInterrupt are a block's failure too
            return {"status": "raised", "exception": describe(error, filename)}
    return {"status": "ok"}


def describe(error: BaseException, filename: str) -> dict:
    """How an exception is reported: its class names, message and a short traceback."""
    frames = traceback.extract_tb(error.__traceback__)
    in_block = [frame for frame in frames if frame.filename == filename]
    if isinstance(error, SyntaxError) and error.filename == filename:
        line = error.lineno
    else:
        line = in_block[-1].lineno if in_block else None
    return {
        "type": type(error).__name__,
        "classes": [f"{cls.__module__}.{cls.__qualname__}" for cls in type(error).__mro__],
        "message": "".join(traceback.format_exception_only(error)).strip(),
        "traceback": trimmed_traceback(error),
        "line": line,
    }


def trimmed_traceback(error: BaseException) -> str:
    """The traceback a learner needs: frames of the examples, library frames summarised."""
    lines = ["Traceback (most recent call last):\n"]
    hidden: list[str] = []

    def flush_hidden() -> None:
        if hidden:
            where = _short_module(hidden[-1])
            count = len(hidden)
            lines.append(f"  [{count} frame{'s' if count > 1 else ''} inside the library, last in {where}]\n")
            hidden.clear()

    summary = traceback.extract_tb(error.__traceback__)
    for frame in summary:
        if frame.filename.startswith(BLOCK_FILE_PREFIX):
            flush_hidden()
            lines.extend(traceback.format_list([frame]))
        elif frame.filename != __file__:
            hidden.append(frame.filename)
    flush_hidden()
    if len(lines) == 1:
        lines = []
    lines.extend(traceback.format_exception_only(error))
    return "".join(lines)


def _short_module(path: str) -> str:
    """`django/core/mail/message.py` rather than a path of the build machine."""
    parts = path.replace(os.sep, "/").split("/")
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            return "/".join(parts[parts.index(marker) + 1:])
    for index, part in enumerate(parts):
        if part.startswith("python3"):
            return "/".join(parts[index + 1:])
    return parts[-1]

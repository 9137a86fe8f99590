"""The warm parent: Django is set up once here, then every session is a fork.

Started by the build with a scrubbed environment and one socket. For each
"spawn" request it forks a keeper, which moves into fresh namespaces and forks
the session process; the build gets the session's control socket and output
pipe back over the socket and talks to the session directly. The keeper waits
for the session to end and reports how it ended.

Run as a script: `python zygote.py CONFIG_JSON` (see Runner for the keys).
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import sys
import traceback
from pathlib import Path


def main(config: dict) -> None:
    control = socket.socket(fileno=config["control_fd"])
    sys.path[:0] = [config["hooks_dir"], config["snippets_dir"]]
    try:
        _serve(config, control)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the build ended (or failed) before it needed us: nothing to report to


def _serve(config: dict, control: socket.socket) -> None:
    from courseware.runner import protocol

    try:
        import django

        os.environ["DJANGO_SETTINGS_MODULE"] = config["settings_module"]
        django.setup()
        from courseware.runner import determinism, mail_capture

        determinism.install()
        mail_capture.install()
        _warm_up()
    except BaseException:
        protocol.send(control, {"op": "error", "traceback": traceback.format_exc()})
        return
    protocol.send(control, {"op": "ready", "django": django.get_version()})
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # keepers are reaped by the kernel
    while True:
        request, _ = protocol.receive(control)
        if request is None:
            return
        client_end, session_end = socket.socketpair()
        output_read, output_write = os.pipe()
        if os.fork() == 0:
            control.close()
            client_end.close()
            os.close(output_read)
            _keeper(config, session_end, output_write)
        session_end.close()
        os.close(output_write)
        protocol.send(control, {"op": "spawned"}, fds=[client_end.fileno(), output_read])
        client_end.close()
        os.close(output_read)


def _warm_up() -> None:
    """Do once here the lazy set-up every session would otherwise repeat after its fork.

    Only built-in and inline material is used: a template file read here would be
    cached in every session and its read would no longer be seen (see cache.py).
    """
    from django.core.mail import EmailMultiAlternatives, mailers
    from django.template import engines

    for alias in mailers:
        mailers[alias]
    for engine in engines.all():
        engine.from_string("{% if x %}{{ x|upper }}{% endif %}").render({"x": "warm"})
    message = EmailMultiAlternatives("warm", "up", "a@example.com", ["b@example.com"])
    message.attach_alternative("<p>warm</p>", "text/html")
    message.attach("warm.txt", "up", "text/plain")
    message.message().as_bytes()


def _keeper(config: dict, control: socket.socket, output_write: int) -> None:
    """Between the warm parent and the session: namespaces, then wait and report."""
    from courseware.runner import protocol, sandbox

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    status = 70
    try:
        namespaced = config["sandbox"] == "namespaces"
        if namespaced:
            sandbox.isolate_namespaces()
        go_read, go_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(go_write)
            os.read(go_read, 1)
            _session(config, control, output_write, namespaced)
        os.close(output_write)
        os.close(go_read)
        protocol.send(control, {"op": "started", "pid": pid})
        os.write(go_write, b"!")
        _, wait_status = os.waitpid(pid, 0)
        protocol.send(control, {"op": "exit", "code": os.waitstatus_to_exitcode(wait_status)})
        status = 0
    except BaseException:
        try:
            protocol.send(control, {"op": "failed", "error": traceback.format_exc()})
        except OSError:
            pass
    os._exit(status)


def _session(config: dict, control: socket.socket, output_write: int, namespaced: bool) -> None:
    from courseware.runner import protocol, sandbox, session

    status = 0
    try:
        # Its own session and process group: kill(0) or killpg() from a block reaches only
        # what the block started, never the warm parent (same user when the build is not root).
        os.setsid()
        limits = sandbox.Limits(**config["limits"])
        workdir = sandbox.confine_session(
            namespaced=namespaced, limits=limits, files_dir=Path(config["files_dir"]),
            hidden=[Path(path) for path in config["hidden"]], needed=[Path(path) for path in config["needed"]],
        )
        os.dup2(output_write, 1)
        os.dup2(output_write, 2)
        os.close(output_write)
        for name, fd in (("stdout", 1), ("stderr", 2)):
            # Unbuffered all the way down: stdout and stderr interleave as written.
            raw = open(fd, "wb", buffering=0, closefd=False)
            stream = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True)
            setattr(sys, name, stream)
            setattr(sys, f"__{name}__", stream)
        protocol.send(control, {"op": "ready"})
    except BaseException:
        protocol.send(control, {"op": "failed", "error": traceback.format_exc()})
        os._exit(71)
    try:
        session.serve(control, {config["snippets_dir"]: "", str(workdir): "files/"})
    except BaseException:
        status = 72
    os._exit(status)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))

"""Lock a freshly forked session process in before it runs untrusted code.

Two steps, in two processes:

* `isolate_namespaces` runs in the keeper (forked from the warm parent): new
  PID, network, mount and UTS namespaces (and a user namespace when the build
  is not root), loopback up, so that the session it forks next is PID 1 of its
  own world: it cannot see or signal the build, reaches no network but its own
  loopback, and when it dies the kernel kills everything it left running.
* `confine_session` runs in that session process: a private /proc (only its
  own processes, no other process's environment), a private /tmp with a fixed
  working directory, resource limits, and, as root, the `nobody` user.

`COURSE_SANDBOX=off` skips the namespaces (for machines that forbid them);
the limits still apply.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import resource
import shutil
import socket
import struct
from dataclasses import dataclass
from pathlib import Path

WORKDIR = Path("/tmp/course")
HOSTNAME = "sandbox"
NOBODY = 65534

_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 1 << 14, 1 << 18)
_SIOCGIFFLAGS, _SIOCSIFFLAGS, _IFF_UP = 0x8913, 0x8914, 0x1
_PR_SET_NO_NEW_PRIVS, _PR_SET_DUMPABLE = 38, 4


@dataclass(frozen=True)
class Limits:
    """Resource limits of one session process (and what it starts)."""

    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 120
    processes: int = 64
    file_bytes: int = 16 * 1024 * 1024
    open_files: int = 256


class SandboxUnavailable(RuntimeError):
    pass


_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise SandboxUnavailable(f"{what} failed: {os.strerror(errno)}")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(source.encode(), target.encode(), fstype.encode() if fstype else None,
                       ctypes.c_ulong(flags), data.encode() if data else None), f"mount {target}")


def isolate_namespaces() -> None:
    """In the keeper: new namespaces for the session it forks next."""
    flags = os.CLONE_NEWPID | os.CLONE_NEWNET | os.CLONE_NEWNS | os.CLONE_NEWUTS
    uid, gid = os.getuid(), os.getgid()
    if uid != 0:
        flags |= os.CLONE_NEWUSER
    try:
        os.unshare(flags)
    except OSError as error:
        raise SandboxUnavailable(f"creating namespaces failed: {error.strerror}") from None
    if uid != 0:
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"0 {uid} 1")
        Path("/proc/self/gid_map").write_text(f"0 {gid} 1")
    _mount("none", "/", None, _MS_REC | _MS_PRIVATE)
    socket.sethostname(HOSTNAME)
    _bring_up_loopback()


def _bring_up_loopback() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(sock, _SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, _SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | _IFF_UP))


def confine_session(*, namespaced: bool, limits: Limits, files_dir: Path | None,
                    hidden: list[Path], needed: list[Path]) -> Path:
    """In the session process, before any snippet code: returns the working directory.

    `hidden` folders (the build user's home, the repository's .git) are covered
    by empty ones, except the `needed` folders below them (the interpreter, the
    course's code), which are mounted back at the same paths.
    """
    if namespaced:
        for folder in hidden:
            _cover_except(folder, needed, "size=1m,mode=755")
        _mount("proc", "/proc", "proc", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC)
        # A private, empty /tmp (the course itself may live below it, e.g. in a CI clone).
        _cover_except(Path("/tmp"), needed, "size=64m,mode=1777")
        if Path("/dev/shm").is_dir():
            _mount("tmpfs", "/dev/shm", "tmpfs", _MS_NOSUID | _MS_NODEV, "size=16m,mode=1777")
        workdir = WORKDIR
    else:
        workdir = Path(os.environ.get("TMPDIR", "/tmp")) / f"course-{os.getpid()}"
    workdir.mkdir(mode=0o700)
    if files_dir is not None and files_dir.is_dir():
        shutil.copytree(files_dir, workdir, dirs_exist_ok=True)
    drop_root = os.getuid() == 0 and not _in_user_namespace()
    if drop_root:
        for path in [workdir, *workdir.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
    os.chdir(workdir)
    # RLIMIT_NPROC counts the user's processes: as `nobody`, or in our own user namespace
    # (Linux 5.14+ counts per namespace), that is only this session's.
    _set_limits(limits, count_processes=drop_root or _in_user_namespace())
    if drop_root:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    _libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    # setuid() made the process undumpable, which hides /proc/self from itself; nothing
    # outside its namespaces can address it, so let it read its own (scrubbed) environ.
    _libc.prctl(_PR_SET_DUMPABLE, 1, 0, 0, 0)
    return workdir


def _cover_except(folder: Path, needed: list[Path], options: str) -> None:
    """Mount an empty tmpfs over `folder`, then mount the needed folders below it back."""
    if not folder.is_dir():
        return
    keep = [path for path in needed if path.is_relative_to(folder) and path != folder]
    kept = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY)) for path in keep if path.is_dir()]
    _mount("tmpfs", str(folder), "tmpfs", _MS_NOSUID | _MS_NODEV, options)
    for path, fd in kept:
        path.mkdir(parents=True, exist_ok=True)
        _mount(f"/proc/self/fd/{fd}", str(path), None, _MS_BIND | _MS_REC)
        # Read-only: without `nobody` (a build that is not root), the session would own these files.
        _mount("none", str(path), None, _MS_BIND | _MS_REMOUNT | _MS_RDONLY)
        os.close(fd)


def _in_user_namespace() -> bool:
    try:
        return Path("/proc/self/uid_map").read_text().split()[:3] != ["0", "0", "4294967295"]
    except OSError:
        return False


def _set_limits(limits: Limits, *, count_processes: bool) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if count_processes:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


"""Messages between the build, the warm parent and a session: length-prefixed JSON."""

from __future__ import annotations

import json
import socket
import struct

_HEADER = struct.Struct(">I")
MAX_MESSAGE = 64 * 1024 * 1024


def send(sock: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    payload = json.dumps(message, sort_keys=True).encode()
    data = _HEADER.pack(len(payload)) + payload
    if fds:
        socket.send_fds(sock, [data[:_HEADER.size]], fds)
        sock.sendall(data[_HEADER.size:])
    else:
        sock.sendall(data)


def receive(sock: socket.socket, want_fds: int = 0) -> tuple[dict | None, list[int]]:
    """One message (None at end of stream) and the file descriptors sent with it."""
    fds: list[int] = []
    if want_fds:
        header, fds, _flags, _addr = socket.recv_fds(sock, _HEADER.size, want_fds)
        if not header:
            return None, fds
        header += _read_exactly(sock, _HEADER.size - len(header))
    else:
        header = _read_exactly(sock, _HEADER.size)
    if len(header) < _HEADER.size:
        return None, fds
    (size,) = _HEADER.unpack(header)
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes is over the {MAX_MESSAGE} byte limit")
    payload = _read_exactly(sock, size)
    if len(payload) < size:
        return None, fds
    return json.loads(payload), fds


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)

"""Results of run blocks kept on disk, so an unchanged block never runs twice.

A block's key hashes everything its result can depend on that is known before
it runs: the runner and Django versions, the settings file, and the code and
options of the block and of every block before it in its session (includes
already expanded). What a block reads at run time (templates, attached files,
modules under snippets/) is recorded while it runs; an entry is valid only
while each of those files still has the content it had. Since a later block
sees the session state its predecessors built, it inherits their reads.

Entries are JSON files written atomically; one that cannot be read or does
not look right is ignored and replaced, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from .blocks import RunBlock

RUNNER_VERSION = "3"
FORMAT = 2
MODES = ("on", "off", "refresh")


@dataclass(frozen=True)
class Lookup:
    """A cached result, or None with the reason it could not be used.

    When the block must run only because of something outside it (an earlier
    block of its session, or a file it did not read itself), `previous` is the
    digest of the result it had before (see `result_digest`), so that the
    build can tell whether its result changed, and `changed_files` the files
    under snippets/ that changed.
    """

    entry: dict | None
    reason: str
    previous: str | None = None
    changed_files: tuple[str, ...] = ()


class ResultCache:
    def __init__(self, folder: Path, snippets_dir: Path, settings_file: Path, mode: str = "on"):
        if mode not in MODES:
            raise ValueError(f"COURSE_CACHE={mode!r}: use one of {', '.join(MODES)}")
        self.folder = folder
        self.snippets_dir = snippets_dir
        self.mode = mode
        self.environment = _digest(RUNNER_VERSION, version("django"), settings_file.read_bytes())
        self._file_hashes: dict[str, str | None] = {}
        self._index_path = folder / "index.json"
        self._index = self._load_index() if mode != "off" else {}
        self._index_changed = False
        self._folders_made: set[Path] = set()

    # -- keys ------------------------------------------------------------

    def session_keys(self, session: list[RunBlock]) -> list[str]:
        """One key per block: this block and all before it in the session."""
        keys, running = [], hashlib.sha256(self.environment.encode())
        for block in session:
            running.update(_digest(block.code, json.dumps(block.options.as_dict(), sort_keys=True)).encode())
            keys.append(running.hexdigest())
        return keys

    # -- reading ---------------------------------------------------------

    def lookup(self, key: str, block: RunBlock, position: str) -> Lookup:
        if self.mode == "off":
            return Lookup(None, "the cache is off (COURSE_CACHE=off)")
        if self.mode == "refresh":
            return Lookup(None, "a full rerun was asked for (COURSE_CACHE=refresh)")
        path = self._entry_path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(entry, dict):
                raise ValueError("not a cache entry")
            if entry.get("format") != FORMAT or entry.get("key") != key or not isinstance(entry.get("deps"), dict):
                raise ValueError("not a cache entry of this version")
            for field in ("output", "traceback", "exception_type", "seconds", "emails"):
                entry[field]  # noqa: B018 - a missing field makes the entry unusable
        except FileNotFoundError:
            return self._why_new(block, position)
        except (OSError, ValueError, KeyError, TypeError):
            return Lookup(None, "its cache entry was unreadable and is rebuilt")
        changed = tuple(dependency for dependency, digest in sorted(entry["deps"].items())
                        if self.file_hash(dependency) != digest)
        if changed:
            return Lookup(None, f"snippets/{changed[0]} changed", result_digest(entry), changed)
        return Lookup(entry, "unchanged")

    def _why_new(self, block: RunBlock, position: str) -> Lookup:
        previous = self._index.get(position)
        if previous is None:
            return Lookup(None, "new block")
        if previous.get("environment") != self.environment:
            return Lookup(None, "the settings file, Django or the runner changed")
        if previous.get("own") != _own_digest(block):
            return Lookup(None, "its code or options changed")
        return Lookup(None, "an earlier block of its session changed", previous.get("result"))

    def file_hash(self, relative: str) -> str | None:
        """Content hash of a file under snippets/, remembered for this build."""
        if relative not in self._file_hashes:
            try:
                self._file_hashes[relative] = hashlib.sha256((self.snippets_dir / relative).read_bytes()).hexdigest()
            except OSError:
                self._file_hashes[relative] = None
        return self._file_hashes[relative]

    def forget_file_hashes(self) -> None:
        """Files may have changed since the last build (mkdocs serve)."""
        self._file_hashes.clear()

    # -- writing ---------------------------------------------------------

    def store(self, key: str, block: RunBlock, position: str, result_fields: dict, reads: set[str]) -> None:
        if self.mode == "off":
            return
        entry = {"format": FORMAT, "key": key, "deps": {path: self.file_hash(path) for path in sorted(reads)},
                 **result_fields}
        self._write(self._entry_path(key), json.dumps(entry, sort_keys=True))
        self._index[position] = {"environment": self.environment, "own": _own_digest(block),
                                 "result": result_digest(result_fields)}
        self._index_changed = True

    def save_index(self) -> None:
        if self._index_changed:
            self._write(self._index_path, json.dumps(self._index, sort_keys=True))
            self._index_changed = False

    def _load_index(self) -> dict:
        try:
            index = json.loads(self._index_path.read_text(encoding="utf-8"))
            return index if isinstance(index, dict) else {}
        except (OSError, ValueError):
            return {}

    def _entry_path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def _write(self, path: Path, text: str) -> None:
        if path.parent not in self._folders_made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders_made.add(path.parent)
        if path.is_dir():  # whatever damaged the cache, the entry is rebuilt
            shutil.rmtree(path)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)


def result_digest(fields: dict) -> str:
    """What a block showed (output, error, mail), without its run time: equal digests, same result."""
    return _digest(json.dumps({name: fields.get(name) for name in ("output", "traceback", "exception_type", "emails")},
                              sort_keys=True))


def _own_digest(block: RunBlock) -> str:
    return _digest(block.code, json.dumps(block.options.as_dict(), sort_keys=True))


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()

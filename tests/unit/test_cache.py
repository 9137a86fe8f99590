"""The results cache: keys change exactly when a result can change; bad entries are rebuilt."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

import courseware.cache as cache_module
from courseware.blocks import scan_page
from courseware.cache import ResultCache

PAGE = """\
    # Page

    Some prose.

    ```python run
    from bookshelf.emails import build_welcome_email
    first = 1
    ```

    ```python run
    --8<-- "shared.py"
    print(first)
    ```
    """


@pytest.fixture()
def snippets(tmp_path) -> Path:
    folder = tmp_path / "snippets"
    (folder / "templates").mkdir(parents=True)
    (folder / "course_settings.py").write_text("SECRET_KEY = 'x'\n")
    (folder / "shared.py").write_text("shared = 2\n")
    (folder / "templates/mail.txt").write_text("Hello {{ name }}\n")
    (folder / "templates/other.txt").write_text("Other\n")
    return folder


def keys_of(snippets: Path, page: str = PAGE, cache_dir: Path | None = None) -> list[str]:
    cache = ResultCache(cache_dir or snippets.parent / "cache", snippets, snippets / "course_settings.py")
    blocks, errors = scan_page(textwrap.dedent(page), "docs/page.md", snippets)
    assert not errors
    return cache.session_keys(blocks)


def edit_page(old: str, new: str):
    return lambda snippets, monkeypatch: PAGE.replace(old, new)


def edit_file(name: str, text: str):
    def change(snippets, monkeypatch):
        (snippets / name).write_text(text)
        return PAGE
    return change


def patch(attribute: str, value):
    def change(snippets, monkeypatch):
        monkeypatch.setattr(cache_module, attribute, value)
        return PAGE
    return change


# change, expected (first block's key changed, second block's key changed)
CASES = {
    "prose edited": (edit_page("Some prose.", "Other prose."), (False, False)),
    "second block's code": (edit_page("print(first)", "print(first + 1)"), (False, True)),
    "first block's code (an earlier block)": (edit_page("first = 1", "first = 2"), (True, True)),
    "second block's options": (edit_page('```python run\n    --8<--', '```python run timeout="9"\n    --8<--'),
                               (False, True)),
    "an included file": (edit_file("shared.py", "shared = 3\n"), (False, True)),
    "the settings file": (edit_file("course_settings.py", "SECRET_KEY = 'y'\n"), (True, True)),
    "a template (not part of the key: recorded as a read)": (edit_file("templates/mail.txt", "Hi\n"), (False, False)),
    "the Django version": (patch("version", lambda name: "9.9.9"), (True, True)),
    "the runner version": (patch("RUNNER_VERSION", "999"), (True, True)),
}


@pytest.mark.parametrize("change", CASES, ids=list(CASES))
def test_a_key_changes_exactly_when_its_inputs_change(change, snippets, monkeypatch):
    edit, expected = CASES[change]
    before = keys_of(snippets)
    page = edit(snippets, monkeypatch)
    after = keys_of(snippets, page)
    assert (before[0] != after[0], before[1] != after[1]) == expected


def stored(snippets: Path, reads: set[str]) -> tuple[ResultCache, str, object]:
    cache = ResultCache(snippets.parent / "cache", snippets, snippets / "course_settings.py")
    blocks, _ = scan_page(textwrap.dedent(PAGE), "docs/page.md", snippets)
    key = cache.session_keys(blocks)[0]
    fields = {"output": "out\n", "traceback": None, "exception_type": None, "seconds": 0.01, "emails": []}
    cache.store(key, blocks[0], "docs/page.md#0#0", fields, reads)
    return cache, key, blocks[0]


def fresh_lookup(snippets: Path, key: str, block):
    cache = ResultCache(snippets.parent / "cache", snippets, snippets / "course_settings.py")
    return cache.lookup(key, block, "docs/page.md#0#0")


def test_a_stored_result_is_found_again(snippets):
    _, key, block = stored(snippets, {"templates/mail.txt"})
    found = fresh_lookup(snippets, key, block)
    assert found.entry["output"] == "out\n" and found.reason == "unchanged"


def test_a_file_read_by_the_block_invalidates_it_when_edited_and_others_do_not(snippets):
    _, key, block = stored(snippets, {"templates/mail.txt"})
    (snippets / "templates/other.txt").write_text("changed\n")
    assert fresh_lookup(snippets, key, block).entry is not None
    (snippets / "templates/mail.txt").write_text("changed\n")
    found = fresh_lookup(snippets, key, block)
    assert found.entry is None and found.reason == "snippets/templates/mail.txt changed"


def test_a_deleted_dependency_invalidates_the_entry(snippets):
    _, key, block = stored(snippets, {"templates/mail.txt"})
    (snippets / "templates/mail.txt").unlink()
    assert fresh_lookup(snippets, key, block).entry is None


@pytest.mark.parametrize("damage", [
    lambda path: path.write_text("{not json"),
    lambda path: path.write_bytes(b"\xff\xfe\x00"),
    lambda path: path.write_text(json.dumps({"format": cache_module.FORMAT, "key": "another", "deps": {}})),
    lambda path: path.write_text(json.dumps({"format": cache_module.FORMAT})),
    lambda path: path.write_text("[]"),
    lambda path: (path.unlink(), path.mkdir()),
], ids=["truncated", "binary", "wrong key", "missing fields", "wrong type", "a folder"])
def test_a_corrupt_entry_is_ignored_never_trusted_never_fatal(snippets, damage):
    _, key, block = stored(snippets, set())
    entry = snippets.parent / "cache" / key[:2] / f"{key}.json"
    damage(entry)
    found = fresh_lookup(snippets, key, block)
    assert found.entry is None
    assert found.reason == "its cache entry was unreadable and is rebuilt"
    cache, _, _ = stored(snippets, set())
    assert fresh_lookup(snippets, key, block).entry is not None


def test_a_miss_says_why(snippets):
    cache, key, block = stored(snippets, set())
    cache.save_index()
    changed = PAGE.replace("first = 1", "first = 5")
    blocks, _ = scan_page(textwrap.dedent(changed), "docs/page.md", snippets)
    again = ResultCache(snippets.parent / "cache", snippets, snippets / "course_settings.py")
    keys = again.session_keys(blocks)
    assert again.lookup(keys[0], blocks[0], "docs/page.md#0#0").reason == "its code or options changed"
    assert again.lookup(keys[1], blocks[1], "docs/page.md#0#1").reason == "new block"


@pytest.mark.parametrize(("mode", "reason"), [
    ("off", "the cache is off (COURSE_CACHE=off)"),
    ("refresh", "a full rerun was asked for (COURSE_CACHE=refresh)"),
])
def test_the_cache_can_be_bypassed(snippets, mode, reason):
    _, key, block = stored(snippets, set())
    cache = ResultCache(snippets.parent / "cache", snippets, snippets / "course_settings.py", mode=mode)
    found = cache.lookup(key, block, "docs/page.md#0#0")
    assert found.entry is None and found.reason == reason

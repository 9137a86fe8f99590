"""Shared fixtures: the real runner, and blocks written as they would be in a page."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from courseware.blocks import RunBlock, scan_page
from courseware.runner import Runner

REPO = Path(__file__).resolve().parents[1]
SNIPPETS = REPO / "snippets"


@pytest.fixture(scope="session")
def runner():
    with Runner(repo=REPO, snippets_dir=SNIPPETS) as warm:
        yield warm


def page_blocks(markdown: str, page: str = "docs/test.md") -> list[RunBlock]:
    """The run blocks of a page written inline in a test (dedented)."""
    blocks, errors = scan_page(textwrap.dedent(markdown), page, SNIPPETS)
    assert not errors, errors
    return blocks


def fence(code: str, header: str = "python run") -> str:
    return f"```{header}\n{textwrap.dedent(code).strip()}\n```\n"

"""Which pages include a snippet file that changed since the page was last built.

MkDocs' `--dirty` compares a page's own source with its HTML and misses a
change in a file the page includes with `--8<--`.
"""

from __future__ import annotations

import re
from pathlib import Path

_INCLUDE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+["']([^"':]+)""", re.MULTILINE)


def included_files(source: str) -> set[str]:
    return set(_INCLUDE.findall(source))


def pages_needing_rebuild(sources: dict[str, str], snippets_dir: Path, site_dir: Path,
                          destinations: dict[str, str]) -> set[str]:
    stale = set()
    for page, source in sources.items():
        built = site_dir / destinations[page]
        if not built.exists():
            continue
        built_at = built.stat().st_mtime
        for relative in included_files(source):
            path = snippets_dir / relative
            if path.exists() and path.stat().st_mtime > built_at:
                stale.add(page)
                break
    return stale

"""The one date a build may print: that of the commit it builds.

MkDocs dates every page (the sitemap's <lastmod>, the gzip header of
sitemap.xml.gz) with the day of the build, unless SOURCE_DATE_EPOCH says
otherwise (https://reproducible-builds.org/specs/source-date-epoch/). Using
the commit's time makes two builds of one commit byte-identical, whatever day
they run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

VARIABLE = "SOURCE_DATE_EPOCH"


def commit_epoch(repo: Path) -> str | None:
    """Seconds since the epoch of the commit checked out in `repo`; None outside a git checkout."""
    try:
        done = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value.isdigit() else None


def fix_build_date(environ, repo: Path) -> str | None:
    """Set SOURCE_DATE_EPOCH in `environ` to the commit's time unless it is set; returns the value in force."""
    if environ.get(VARIABLE):
        return environ[VARIABLE]
    epoch = commit_epoch(repo)
    if epoch is not None:
        environ[VARIABLE] = epoch
    return epoch

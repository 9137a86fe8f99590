"""Real MkDocs builds: of the course itself, and of small projects made for one test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO


@dataclass
class Build:
    returncode: int
    log: str
    site: Path

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def mkdocs(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=600)


def build_site(project: Path, site: Path, **env: str) -> Build:
    done = mkdocs(["build", "--strict", "-d", str(site)], project, **env)
    return Build(done.returncode, done.stdout + done.stderr, site)


def make_project(folder: Path, pages: dict[str, str]) -> Path:
    """A copy of the course's machinery (config, hooks, theme, snippets) with other pages."""
    for name in ("hooks", "overrides", "snippets"):
        shutil.copytree(REPO / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    nav_start = config.index("nav:")
    nav_end = config.index("\ntheme:")
    nav = "nav:\n" + "".join(f"  - {name}\n" for name in pages)
    (folder / "mkdocs.yml").write_text(config[:nav_start] + nav + config[nav_end:], encoding="utf-8")
    for name, text in pages.items():
        path = folder / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def course_build(tmp_path_factory) -> Build:
    """The real course, built strictly once for all tests that only read it (sessions two at a time)."""
    build = build_site(REPO, tmp_path_factory.mktemp("course") / "site", COURSE_CACHE="off", COURSE_WORKERS="2")
    assert build.returncode == 0, build.log
    return build

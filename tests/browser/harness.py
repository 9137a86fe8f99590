"""What every browser test needs: Debian's Chromium, a built site over http or file://, axe-core.

Reusable by any browser test (quiz, exercises, offline reading); the fixtures
in conftest.py wrap these helpers.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def missing_tools() -> list[str]:
    """What the browser tests need and this machine lacks, with how to get it."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"{AXE.relative_to(REPO)} (npm install, from package.json)")
    return missing


# --- sites ---------------------------------------------------------------------------------

class BuildFailed(Exception):
    """A site the browser tests need did not build (not an assertion: an xfail must not swallow it)."""


def build_mkdocs(project: Path, site: Path) -> None:
    """A strict `mkdocs build` of `project` into `site`; raises BuildFailed with MkDocs' log."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=project, capture_output=True, text=True, timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if done.returncode != 0:
        raise BuildFailed(f"mkdocs build of {project} failed:\n{done.stdout}{done.stderr}")


def fixture_project(source: Path, folder: Path, **config: str) -> Path:
    """Copy a small test project (docs/ and hooks) and give it a mkdocs.yml on top of the course's.

    The project inherits the course's mkdocs.yml (theme, palette, Markdown
    extensions, validation) and its overrides/, but not its hooks, plugins or
    nav: it sees the course's look, and only the machinery the test brings.
    """
    shutil.copytree(source, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    settings = {
        "INHERIT": str(REPO / "mkdocs.yml"),
        "site_name": "Browser test fixture",
        "docs_dir": "docs",
        "theme": {"name": "material", "custom_dir": str(REPO / "overrides")},
        "plugins": [],
        "watch": [],
        **config,
    }
    (folder / "mkdocs.yml").write_text(json.dumps(settings, indent=2), encoding="utf-8")  # JSON is YAML
    return folder


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on http://127.0.0.1:<a free port>/ for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- offline: file:// with the network blocked ---------------------------------------------

@dataclass
class NetworkGuard:
    """Blocks every request outside `origin` (file:// by default), and remembers each one it blocked."""

    blocked: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    origin: str = "file://"

    def attach(self, context) -> None:
        context.route("**/*", self._route)
        context.on("request", self._seen)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.origin):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _seen(self, request) -> None:
        url = request.url
        if url.startswith((self.origin, "data:", "blob:")):
            self.allowed.append(url)
        elif url not in self.blocked:
            self.blocked.append(url)


# --- accessibility ---------------------------------------------------------------------------

def axe_violations(page, include: str | None = None, exclude: str | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now (injected from node_modules, no network).

    `include` / `exclude`: CSS selectors that narrow the check (default: the whole page).
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async ([include, exclude]) => {
            const context = { include: include ? [include] : [document], exclude: exclude ? [exclude] : [] };
            const result = await axe.run(context, { resultTypes: ['violations'] });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: n.failureSummary })),
            }));
        }""",
        [include, exclude],
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {(node['summary'] or '').splitlines()[-1:]}")
    return "\n".join(lines)

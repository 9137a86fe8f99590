"""MkDocs hook of the course: wires the engine (hooks/courseware/) into the build.

Kept thin on purpose: everything that parses, runs or renders lives in the
engine, which imports nothing from MkDocs.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

HOOKS_DIR = Path(__file__).resolve().parent
if str(HOOKS_DIR) not in sys.path:  # MkDocs puts it there only while importing this file
    sys.path.insert(0, str(HOOKS_DIR))

from mkdocs.exceptions import PluginError  # noqa: E402

from courseware.execution import CourseRun, run_course  # noqa: E402
from courseware.fence import RunFence  # noqa: E402
from courseware.runner import Runner, RunnerError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.course")

_command = "build"
_runner: Runner | None = None  # survives rebuilds under `mkdocs serve`
_fence = RunFence()
_run = CourseRun()


def on_startup(*, command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_shutdown() -> None:
    if _runner is not None:
        _runner.close()


def on_config(config):
    global _runner
    root = Path(config.config_file_path).resolve().parent
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(root / path) for path in snippets.get("base_path", ["snippets"])]
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(fence.get("validator") == _fence.validate for fence in fences):
        fences.append(_fence.superfence())
    if _runner is None:
        _runner = Runner(repo=root, snippets_dir=Path(snippets["base_path"][0]))
    return config


def on_files(files, *, config):
    global _run
    if not execution_enabled():
        log.info("COURSE_EXECUTE=off: example blocks are shown without running them")
        _fence.execute = False
        _run = CourseRun()
        return files
    _fence.execute = True
    root = Path(config.config_file_path).resolve().parent
    pages = {}
    for file in files.documentation_pages():
        shown = Path(file.abs_src_path).resolve().relative_to(root).as_posix()
        pages[shown] = Path(file.abs_src_path).read_text(encoding="utf-8")
    started = time.monotonic()
    try:
        _run = run_course(_runner, pages, _runner.snippets_dir)
    except RunnerError as error:
        raise PluginError(str(error)) from None
    for page, results in _run.results.items():
        _fence.set_results(page, results)
    for failure in _run.failures:
        log.error(str(failure))
    log.info("Ran %d example blocks in %.2f s (Django %s)", _run.block_count,
             time.monotonic() - started, _runner.django_version)
    return files


def execution_enabled() -> bool:
    """COURSE_EXECUTE=off builds pages without running examples (a quick preview of prose)."""
    value = os.environ.get("COURSE_EXECUTE", "on").lower()
    if value not in ("on", "off"):
        raise PluginError(f"COURSE_EXECUTE={value!r}: use 'on' (the default) or 'off'")
    return value == "on"


def on_page_markdown(markdown, *, page, config, files):
    root = Path(config.config_file_path).resolve().parent
    _fence.current_page = Path(page.file.abs_src_path).resolve().relative_to(root).as_posix()
    return markdown


def on_page_content(html, *, page, config, files):
    for problem in _fence.problems:
        log.error(str(problem))
    _fence.problems.clear()
    return html


def on_post_build(*, config):
    failures = _run.failures
    if failures and _command == "build":
        raise PluginError(f"{len(failures)} example block(s) failed; each is listed above as path:line")

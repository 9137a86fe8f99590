"""MkDocs hook of the course: wires the engine (hooks/courseware/) into the build.

Kept thin on purpose: everything that parses, runs or renders lives in the
engine, which imports nothing from MkDocs. Settings come from the environment:

  COURSE_EXECUTE=off       build pages without running examples (prose preview)
  COURSE_CACHE=on|off|refresh   use / ignore / rebuild the results cache (.cache/runs)
  COURSE_CACHE_DIR=path    where the cache lives (CI can keep it between runs)
  COURSE_WORKERS=N         sessions run at once (default: the number of cores)
  COURSE_REPORT=file.json  write what happened to every block, and why
  COURSE_SANDBOX=off       no namespaces (machines that forbid them; trusted sources only)
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

HOOKS_DIR = Path(__file__).resolve().parent
if str(HOOKS_DIR) not in sys.path:  # MkDocs puts it there only while importing this file
    sys.path.insert(0, str(HOOKS_DIR))

from mkdocs.exceptions import PluginError  # noqa: E402

from courseware.cache import ResultCache  # noqa: E402
from courseware.execution import CACHED, FAILED, RAN, REPLAYED, CourseRun, run_course  # noqa: E402
from courseware.fence import RunFence  # noqa: E402
from courseware.includes import pages_needing_rebuild  # noqa: E402
from courseware.runner import Runner, RunnerError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.course")

_command = "build"
_dirty = False
_runner: Runner | None = None  # survives rebuilds under `mkdocs serve`: Django stays warm
_cache: ResultCache | None = None
_fence = RunFence()
_run = CourseRun()


def _setting(name: str, default: str, allowed: tuple[str, ...] | None = None) -> str:
    value = os.environ.get(name, default)
    if allowed and value not in allowed:
        raise PluginError(f"{name}={value!r}: use one of {', '.join(allowed)}")
    return value


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def _shown_path(file, root: Path) -> str:
    return Path(file.abs_src_path).resolve().relative_to(root).as_posix()


def on_startup(*, command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


def on_shutdown() -> None:
    if _runner is not None:
        _runner.close()


def on_config(config):
    global _runner, _cache
    root = _root(config)
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(root / path) for path in snippets.get("base_path", ["snippets"])]
    snippets_dir = Path(snippets["base_path"][0])
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(fence.get("validator") == _fence.validate for fence in fences):
        fences.append(_fence.superfence())
    if _runner is None:
        workers = _setting("COURSE_WORKERS", str(os.cpu_count() or 1))
        if not workers.isdigit() or int(workers) < 1:
            raise PluginError(f"COURSE_WORKERS={workers!r}: use a whole number of at least 1")
        _runner = Runner(repo=root, snippets_dir=snippets_dir, workers=int(workers))
        _cache = ResultCache(Path(_setting("COURSE_CACHE_DIR", str(root / ".cache" / "runs"))), snippets_dir,
                             snippets_dir / f"{_runner.settings_module}.py",
                             mode=_setting("COURSE_CACHE", "on", ("on", "off", "refresh")))
    return config


def on_files(files, *, config):
    global _run
    execute = _setting("COURSE_EXECUTE", "on", ("on", "off")) == "on"
    _fence.execute = execute
    if not execute:
        log.info("COURSE_EXECUTE=off: example blocks are shown without running them")
        _run = CourseRun()
        return files
    root = _root(config)
    pages = {_shown_path(file, root): file for file in files.documentation_pages()}
    sources = {shown: Path(file.abs_src_path).read_text(encoding="utf-8") for shown, file in pages.items()}
    started = time.monotonic()
    _cache.forget_file_hashes()
    try:
        _run = run_course(_runner, sources, _runner.snippets_dir, _cache)
    except RunnerError as error:
        raise PluginError(str(error)) from None
    for page, results in _run.results.items():
        _fence.set_results(page, results)
    for failure in _run.failures:
        log.error(str(failure))
    log.info("Examples: %d blocks: %d ran, %d cached, %d replayed, %d failed; %.2f s executing, %.2f s in all",
             _run.block_count, _run.count(RAN), _run.count(CACHED), _run.count(REPLAYED), _run.count(FAILED),
             _run.seconds_executing, time.monotonic() - started)
    report = os.environ.get("COURSE_REPORT")
    if report:
        Path(report).write_text(json.dumps([entry.as_dict() for entry in _run.reports], indent=1) + "\n")
    if _dirty:
        stale = _run.pages_executed | pages_needing_rebuild(sources, _runner.snippets_dir, Path(config.site_dir),
                                                            {shown: file.dest_uri for shown, file in pages.items()})
        for shown in stale:
            Path(pages[shown].abs_dest_path).unlink(missing_ok=True)  # MkDocs' --dirty rebuilds missing pages
    return files


def on_page_markdown(markdown, *, page, config, files):
    _fence.current_page = _shown_path(page.file, _root(config))
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

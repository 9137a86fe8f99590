"""MkDocs hook of the course: wires the engine (hooks/courseware/) into the build.

Kept thin on purpose: everything that parses, runs or renders lives in the
engine, which imports nothing from MkDocs. The order of a build: on_files hands
every page to the examples' driver process (runner/background.py) and returns;
pages render while the examples run, with placeholders for the blocks' results
and what the exercises' checks found, and on_post_page waits for that page's
results only. on_post_build waits for the rest, logs the summary and writes
the lesson notebooks. Settings come from the environment:

  COURSE_EXECUTE=off       build pages without running examples (prose preview)
  COURSE_CACHE=on|off|refresh   use / ignore / rebuild the results cache (.cache/runs)
  COURSE_CACHE_DIR=path    where the cache lives (CI can keep it between runs)
  COURSE_WORKERS=N         sessions run at once (default: one less than the cores, at least 1)
  COURSE_REPORT=file.json  write what happened to every block, and why
  COURSE_SANDBOX=off       no namespaces (machines that forbid them; trusted sources only)
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from pathlib import Path

HOOKS_DIR = Path(__file__).resolve().parent
if str(HOOKS_DIR) not in sys.path:  # MkDocs puts it there only while importing this file
    sys.path.insert(0, str(HOOKS_DIR))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from courseware.build_date import fix_build_date  # noqa: E402
from courseware.execution import CACHED, FAILED, RAN, REPLAYED, CourseRun  # noqa: E402
from courseware.exercises.markdown import ExerciseExtension, Exercises  # noqa: E402
from courseware.fence import RunFence  # noqa: E402
from courseware.includes import pages_needing_rebuild  # noqa: E402
from courseware.lessons import CourseOutline, read_lesson  # noqa: E402
from courseware.notebooks import (  # noqa: E402
    NotebookPage, dumps, finish_notebook, has_math, is_lesson, lesson_notebook, notebook_name, read_notebook,
    with_download_link, without_mathjax_loader)
from courseware.quiz import QuizExtension, check_page, finish_page_html  # noqa: E402
from courseware.runner import RunnerError  # noqa: E402
from courseware.runner.background import CacheSettings, RunnerProcess  # noqa: E402

log = logging.getLogger("mkdocs.hooks.course")

_command = "build"
_dirty = False
_runner: RunnerProcess | None = None  # survives rebuilds under `mkdocs serve`: Django stays warm
_cache: CacheSettings | None = None
_fence = RunFence()
_exercises: Exercises | None = None  # the fill fence and the exercise block, with their checks' outcomes
_run = CourseRun()
_course = CourseOutline()  # the lessons in nav order, for the home page and the lesson frame
_lesson_notebooks: dict[str, tuple[File, str, str]] = {}  # generated name -> (file, lesson's shown path, source)


def _setting(name: str, default: str, allowed: tuple[str, ...] | None = None) -> str:
    value = os.environ.get(name, default)
    if allowed and value not in allowed:
        raise PluginError(f"{name}={value!r}: use one of {', '.join(allowed)}")
    return value


def _root(config) -> Path:
    return _resolved(config.config_file_path).parent


def _shown_path(file, root: Path) -> str:
    return _resolved(file.abs_src_path).relative_to(root).as_posix()


@functools.lru_cache(maxsize=None)
def _resolved(path: str) -> Path:
    """Path.resolve() asks the file system for every folder: once per file and build process is enough."""
    return Path(path).resolve()


def on_startup(*, command: str, dirty: bool) -> None:
    global _command, _dirty
    _command, _dirty = command, dirty


def on_shutdown() -> None:
    if _runner is not None:
        _runner.close(wait=False)


def on_config(config):
    global _runner, _cache, _exercises
    root = _root(config)
    fix_build_date(os.environ, root)  # sitemap dates: the commit's, so two builds of it are identical
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    snippets["base_path"] = [str(root / path) for path in snippets.get("base_path", ["snippets"])]
    snippets_dir = Path(snippets["base_path"][0])
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(fence.get("validator") == _fence.validate for fence in fences):
        fences.append(_fence.superfence())
    if _exercises is None:
        _exercises = Exercises(snippets_dir)
    if not any(fence.get("validator") == _exercises.validate_fill for fence in fences):
        fences.append(_exercises.superfence())
    if not any(isinstance(extension, ExerciseExtension) for extension in config.markdown_extensions):
        config.markdown_extensions.append(_exercises.extension())
    if not any(isinstance(extension, QuizExtension) for extension in config.markdown_extensions):
        config.markdown_extensions.append(QuizExtension())
    for assets, name in ((config.extra_css, "assets/quiz.css"), (config.extra_javascript, "assets/quiz.js")):
        if name not in assets:
            assets.append(name)
    if _runner is None:
        # MkDocs renders pages on one core while the examples run: sessions get the others.
        workers = _setting("COURSE_WORKERS", str(max(1, (os.cpu_count() or 1) - 1)))
        if not workers.isdigit() or int(workers) < 1:
            raise PluginError(f"COURSE_WORKERS={workers!r}: use a whole number of at least 1")
        _runner = RunnerProcess(repo=root, snippets_dir=snippets_dir, workers=int(workers))
        _cache = CacheSettings(Path(_setting("COURSE_CACHE_DIR", str(root / ".cache" / "runs"))),
                               snippets_dir / f"{_runner.settings_module}.py",
                               mode=_setting("COURSE_CACHE", "on", ("on", "off", "refresh")))
    if _setting("COURSE_EXECUTE", "on", ("on", "off")) == "on":
        _runner.launch()  # the examples' driver starts while MkDocs loads
    return config


def on_files(files, *, config):
    """Scan every page and start its examples; pages are rendered while they run."""
    global _run
    execute = _setting("COURSE_EXECUTE", "on", ("on", "off")) == "on"
    _fence.execute = execute
    _exercises.execute = execute
    _exercises.set_outcomes({})
    _lesson_notebooks.clear()
    if not execute:
        log.info("COURSE_EXECUTE=off: example blocks are shown without running them")
        _run = CourseRun()
        _add_lesson_notebooks(files, config)
        return files
    root = _root(config)
    pages = {_shown_path(file, root): file for file in files.documentation_pages()}
    sources = {shown: Path(file.abs_src_path).read_text(encoding="utf-8") for shown, file in pages.items()
               if shown.endswith(".md")}
    notebooks = {shown: read_notebook(Path(file.abs_src_path).read_text(encoding="utf-8"), shown)
                 for shown, file in pages.items() if shown.endswith(".ipynb")}
    _add_lesson_notebooks(files, config)
    _run = _runner.start_course(sources, {shown: notebook.blocks for shown, notebook in notebooks.items()},
                                _cache, lessons=frozenset(shown for _, shown, _ in _lesson_notebooks.values()))
    _exercises.set_outcomes(_run.checks)  # each page's entry is complete once the page is waited for
    for shown in notebooks:  # mkdocs-jupyter reads the executed copy before any page renders
        _wait_for_examples(shown)
    _finish_notebooks(notebooks, pages, root)
    if _dirty:
        _wait_for_examples()  # which pages to rebuild depends on what ran
        stale = _run.pages_executed | pages_needing_rebuild(sources, _runner.snippets_dir, Path(config.site_dir),
                                                            {shown: file.dest_uri for shown, file in pages.items()})
        for shown in stale:
            Path(pages[shown].abs_dest_path).unlink(missing_ok=True)  # MkDocs' --dirty rebuilds missing pages
    return files


def _wait_for_examples(page: str | None = None) -> None:
    """Wait for one page's results (or all); the fences get the page's, the log its problems."""
    try:
        read = _run.wait_all() if page is None else _run.wait_page(page)
    except RunnerError as error:
        raise PluginError(str(error)) from None
    for page_run in read:
        for problem in page_run.problems:  # now: a broken block may stop the page's render
            log.error(str(problem))
    if page is not None:
        _fence.set_results(page, _run.results.get(page, []))


def on_env(env, *, config, files):
    """MkDocs copies static files next: not the lesson notebooks, whose examples may still be running."""
    for notebook, _, _ in _lesson_notebooks.values():
        files.remove(notebook)
    return env


def _log_summary() -> None:
    for failure in _run.run_failures:
        log.error(str(failure))
    checks = sum(report.kind != "example" for report in _run.reports)
    log.info("Examples: %d blocks: %d ran, %d cached, %d replayed, %d failed; %.2f s executing, %.2f s in all "
             "(%d of the blocks are exercise checks)", len(_run.reports), _run.count(RAN), _run.count(CACHED),
             _run.count(REPLAYED), _run.count(FAILED), _run.seconds_executing, _run.seconds_in_all, checks)
    report = os.environ.get("COURSE_REPORT")
    if report:
        Path(report).write_text(json.dumps([entry.as_dict() for entry in _run.reports], indent=1) + "\n")


def _finish_notebooks(notebooks: dict[str, NotebookPage], pages: dict, root: Path) -> None:
    """mkdocs-jupyter renders, and offers for download, a copy of each notebook with the build's outputs."""
    for shown, notebook in notebooks.items():
        _run.problems.extend(notebook.problems)
        for problem in notebook.problems:
            log.error(str(problem))
        executed = finish_notebook(notebook, _run.results[shown], _runner.snippets_dir, _runner.settings_module)
        copy = root / ".cache" / "notebooks" / pages[shown].src_uri
        if not copy.is_file() or copy.read_text(encoding="utf-8") != executed:
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(executed, encoding="utf-8")
        pages[shown].abs_src_path = str(copy)


def _add_lesson_notebooks(files, config) -> None:
    """Each lesson's notebook, next to its page (lessons/x.md -> lessons/x.ipynb). A file of the build
    from the start (links to it are checked), written by on_post_build, when every example has run."""
    root = _root(config)
    for file in list(files.documentation_pages()):
        if not is_lesson(file.src_uri):
            continue
        shown = _shown_path(file, root)
        name = notebook_name(file.src_uri)
        if files.get_file_from_path(name) is not None:
            raise PluginError(f"docs/{name} has the name of the notebook generated from {shown}: rename it")
        notebook = File.generated(config, name, content="")
        files.append(notebook)
        _lesson_notebooks[name] = (notebook, shown, file.abs_src_path)


def _write_lesson_notebooks(results: dict | None, made: dict[str, str] | None = None) -> None:
    """`made`: the notebooks the driver made with the results (the rest are made here)."""
    for notebook, shown, source in _lesson_notebooks.values():
        if made and shown in made:
            notebook.content_string = made[shown]
        else:
            notebook.content_string = dumps(lesson_notebook(
                Path(source).read_text(encoding="utf-8"), shown,
                None if results is None else results.get(shown, []), _runner.snippets_dir, _runner.settings_module))
        notebook.copy_file()


def on_nav(nav, *, config, files):
    """The course outline: every lesson of the nav, read from its front matter."""
    global _course
    root = _root(config)
    _course = CourseOutline(
        read_lesson(page.file.src_uri, page.url, Path(page.file.abs_src_path).read_text(encoding="utf-8"),
                    page.title or "", _shown_path(page.file, root))
        for page in nav.pages if is_lesson(page.file.src_uri))
    for problem in _course.problems():
        log.error(str(problem))
    return nav


def on_page_context(context, *, page, config, nav):
    """Templates get `course` (the outline) and, on a lesson, `lesson` and `next_lesson`."""
    context["course"] = _course
    context["lesson"] = _course.lesson(page.file.src_uri)
    context["next_lesson"] = _course.next_lesson(page.file.src_uri)
    return context


def on_page_markdown(markdown, *, page, config, files):
    shown = _shown_path(page.file, _root(config))
    _fence.start_page(shown)
    _exercises.start_page(shown)
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    front_matter_lines = source[: max(source.rfind(markdown), 0)].count("\n")
    for problem in check_page(markdown, shown, line_offset=front_matter_lines):
        log.error(str(problem))
    return markdown


def on_page_content(html, *, page, config, files):
    if page.file.src_uri.endswith(".md"):
        _exercises.finish_page(Path(page.file.abs_src_path).read_text(encoding="utf-8"), html)
    _log_page_problems()
    html = finish_page_html(html, page.file.src_uri)
    source = page.file.src_uri
    if is_lesson(source):
        html = with_download_link(html, notebook_name(source).rsplit("/", 1)[-1], "Download as notebook")
    elif source.endswith(".ipynb"):
        if has_math(html):
            shown = (Path(config.docs_dir).resolve() / source).relative_to(_root(config)).as_posix()
            log.error(f"{shown}: the notebook has math, which needs MathJax, and the "
                      "course loads nothing from other sites\n    how to fix: write it without $...$ "
                      "(a dollar sign is \\$)")
        html = with_download_link(html, source.rsplit("/", 1)[-1], "Download this notebook")
    return html


def _log_page_problems() -> None:
    """What the fences and exercises found wrong on the page being built (they never raise)."""
    for problem in _fence.problems + _exercises.problems:
        log.error(str(problem))
    _fence.problems.clear()
    _exercises.problems.clear()


def on_post_page(output, *, page, config):
    shown = _shown_path(page.file, _root(config))
    if _fence.execute:
        _wait_for_examples(shown)
    output = _exercises.fill_outcomes(shown, _fence.fill_outputs(shown, output))
    _log_page_problems()
    return without_mathjax_loader(output)


def on_build_error(*, error):
    """A page failed to render: still report what the scan found wrong on the pages read up to it
    (a broken header there is often the cause), without waiting for the rest of the course."""
    if isinstance(error, PluginError):
        return  # ours: what it says is in the log already
    if _fence.execute and _fence.current_page is not None and _fence.current_page in _run.waiting:
        try:
            _wait_for_examples(_fence.current_page)
        except PluginError as failure:
            log.error(str(failure))


def on_post_build(*, config):
    if _fence.execute:
        _wait_for_examples()
        _log_summary()
        _write_lesson_notebooks(_run.results, made=_run.notebooks)
    else:
        _write_lesson_notebooks(None)
    failures = _run.failures
    if failures and _command == "build":
        raise PluginError(f"{len(failures)} example block(s) failed; each is listed above as path:line")

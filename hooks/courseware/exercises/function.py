"""Write-a-function exercises: one Python file in snippets/ with three sections.

    # --- starter ---
    def build_confirmation(context):
        ...

    # --- solution ---
    def build_confirmation(context):
        return {...}

    # --- tests ---
    def test_subject_is_one_line():
        assert build_confirmation(ORDER)["subject"] == "Order #1042 confirmed"

The tests are plain `assert` statements, `test_*` functions, or both. At
build time the tests run after the solution (all must pass) and, in another
fresh session, after the starter (at least one must fail).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import AuthorError

SECTIONS = ("starter", "solution", "tests")
MARKER = re.compile(r"^#[ \t]*-{3}[ \t]*(?P<name>[\w -]*?)[ \t]*-{3}[ \t]*$")
HOW_TO_WRITE = ("give the file three sections, each starting with its own line: "
                "'# --- starter ---', '# --- solution ---' and '# --- tests ---'")


@dataclass(frozen=True)
class Section:
    name: str
    marker_line: int       # the file line of `# --- name ---`
    code: str              # the lines after the marker, up to the next marker (line k is file line marker + k)

    @property
    def shown(self) -> str:
        """The code as the page shows it: without blank lines around it."""
        return self.code.strip("\n") + "\n"

    def file_line(self, code_line: int) -> int:
        return self.marker_line + code_line


@dataclass(frozen=True)
class FunctionExercise:
    path: str                           # as errors show it: snippets/exercises/x.py
    src: str                            # as the page names it: exercises/x.py
    starter: Section
    solution: Section
    tests: Section
    test_functions: tuple[tuple[str, int], ...]  # (name, file line of its def), in order

    def section(self, name: str) -> Section:
        return {"starter": self.starter, "solution": self.solution, "tests": self.tests}[name]


def load_exercise(src: str, snippets_dir: Path) -> FunctionExercise:
    """Read and check `snippets/<src>`; raises AuthorError naming the file (and line) at fault."""
    shown = f"snippets/{src}"
    path = (snippets_dir / src).resolve()
    if not src or not path.is_relative_to(snippets_dir.resolve()) or not path.is_file():
        raise AuthorError(shown, None, "the exercise file does not exist",
                          f"create snippets/{src} or correct `src:` (it is relative to snippets/)")
    return parse_exercise(path.read_text(encoding="utf-8"), src)


def parse_exercise(text: str, src: str) -> FunctionExercise:
    shown = f"snippets/{src}"
    lines = text.split("\n")
    markers: list[tuple[str, int]] = []
    for number, line in enumerate(lines, start=1):
        found = MARKER.match(line)
        if not found:
            if not markers and line.strip() and not line.lstrip().startswith("#"):
                raise AuthorError(shown, number, "there is code before the first section",
                                  "start the file with '# --- starter ---' (comments may come before it)")
            continue
        name = found.group("name").strip()
        if name not in SECTIONS:
            raise AuthorError(shown, number, f"unknown section '{name}'", HOW_TO_WRITE)
        if any(seen == name for seen, _ in markers):
            raise AuthorError(shown, number, f"the {name} section appears twice", HOW_TO_WRITE)
        markers.append((name, number))
    missing = [name for name in SECTIONS if name not in dict(markers)]
    if missing:
        raise AuthorError(shown, None, f"the {' and '.join(missing)} section{'s are' if len(missing) > 1 else ' is'} "
                          "missing", HOW_TO_WRITE)
    sections = {}
    for index, (name, marker) in enumerate(markers):
        end = markers[index + 1][1] - 1 if index + 1 < len(markers) else len(lines)
        code = "\n".join(lines[marker:end]).rstrip() + "\n"
        section = Section(name, marker, code)
        if not code.strip():
            raise AuthorError(shown, marker, f"the {name} section is empty",
                              "write the learner's starting point, the solution and the tests")
        sections[name] = section
    trees = {name: _parse(section, shown) for name, section in sections.items()}
    tests = tuple((node.name, sections["tests"].file_line(node.lineno)) for node in trees["tests"].body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test"))
    has_assert = any(isinstance(node, ast.Assert) for node in ast.walk(trees["tests"]))
    if not tests and not has_assert:
        raise AuthorError(shown, sections["tests"].marker_line, "the tests section checks nothing",
                          "write assert statements, or test_* functions that assert")
    for name, node_line in tests:
        arguments = next(node for node in trees["tests"].body
                         if isinstance(node, ast.FunctionDef) and node.name == name).args
        if arguments.args or arguments.posonlyargs or arguments.kwonlyargs or arguments.vararg or arguments.kwarg:
            raise AuthorError(shown, node_line, f"the test function {name}() takes arguments",
                              "test functions are called without arguments (there are no fixtures)")
    return FunctionExercise(shown, src, sections["starter"], sections["solution"], sections["tests"], tests)


def _parse(section: Section, shown: str) -> ast.Module:
    try:
        return ast.parse(section.code, filename=shown)
    except SyntaxError as error:
        line = section.file_line(error.lineno) if error.lineno else section.marker_line
        raise AuthorError(shown, line, f"the {section.name} section is not valid Python: {error.msg}",
                          "fix the syntax (each section must run on its own)") from None

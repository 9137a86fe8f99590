"""Build-time checks of exercises: the sessions to run, and what their results mean.

Each check is a list of sessions of run blocks, run by the course's runner in
the same sandbox, the same parallel batch and with the same cache as the
examples (see execution.py). A check's `judge` turns the results into the
errors an author reads: the page, line and blank of a fill-in-the-blank, the
file, line and section of a write-a-function exercise.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..blocks import RunBlock, RunOptions, SourceLine
from ..errors import AuthorError
from ..runner import BlockResult
from ..runner.session import BLOCK_FILE_PREFIX
from .fill import FillExercise, Variant
from .function import FunctionExercise, Section
from .scan import ExerciseBlock, scan_exercises, scan_fills

FILL_HINT = ("every accepted answer must make the code run without an error (the check is in the code, "
             "e.g. an assert): correct the answer, remove it from the blank, or fix the code")


@dataclass
class Check:
    """Sessions to run for one exercise, and how to judge them."""

    page: str
    line: int
    kind: str                          # "fill" or "exercise"
    key: str                           # how the page finds the outcome (see outcome_key)
    name: str                          # a stable name within the page, for the cache's reports
    sessions: list[list[RunBlock]] = field(default_factory=list)

    def judge(self, results: list[list[BlockResult]]) -> list[AuthorError]:
        """The errors the results of `sessions` (in the same order) reveal."""
        raise NotImplementedError


def outcome_key(kind: str, text: str) -> str:
    """Fill blocks are found by their code (as the fence sees it), exercises by their file."""
    if kind == "fill":
        return "fill:" + "\n".join(line.rstrip() for line in text.split("\n") if line.strip())
    return "exercise:" + text


def page_checks(text: str, page: str, snippets_dir: Path) -> tuple[list[Check], list[AuthorError]]:
    """Every check of a page's exercises, and the problems found while reading them."""
    fills, problems = scan_fills(text, page)
    exercises, exercise_problems = scan_exercises(text, page, snippets_dir)
    checks: list[Check] = [FillCheck(fill) for fill in fills]
    checks += [FunctionCheck(block) for block in exercises]
    return checks, problems + exercise_problems


# -- fill in the blank ---------------------------------------------------------------


class FillCheck(Check):
    """Every accepted answer of every blank must make the code run."""

    def __init__(self, fill: FillExercise):
        super().__init__(fill.page, fill.line, "fill", outcome_key("fill", fill.source), f"fill@{fill.line}")
        self.fill = fill
        self.variants: list[Variant] = fill.variants()
        lines = fill.source.count("\n") + 1
        origins = tuple(SourceLine(fill.page, fill.line + number) for number in range(1, lines + 1))
        self.sessions = [[RunBlock(fill.page, fill.line, variant.code + "\n", fill.options, origins)]
                         for variant in self.variants]

    def judge(self, results: list[list[BlockResult]]) -> list[AuthorError]:
        return [self._error(variant, result.error)
                for variant, (result,) in zip(self.variants, results) if result.failed]

    def _error(self, variant: Variant, error: AuthorError) -> AuthorError:
        fill, total = self.fill, len(self.fill.blanks)
        what = error.message.replace("the example ", "the code ", 1)
        in_code = error.path == fill.page and error.line is not None and error.line > fill.line
        if variant.blank is not None:
            blanks = [variant.blank]
        elif in_code:
            blanks = fill.blanks_on_line(error.line - fill.line)
        else:  # no line to go by (it ran out of time): only a lone blank can be named
            blanks = list(fill.blanks) if len(fill.blanks) == 1 else []
        if len(blanks) == 1:
            blank = blanks[0]
            answer = variant.answer if variant.blank is not None else blank.answers[0]
            where = f" at line {error.line}" if in_code and error.line != blank.line else ""
            return AuthorError(fill.page, blank.line,
                               f"blank {blank.number} of {total}: with the accepted answer {answer!r}, {what}{where}",
                               FILL_HINT)
        answers = ", ".join(f"blank {blank.number}: {blank.answers[0]!r}" for blank in blanks or fill.blanks)
        return AuthorError(fill.page, error.line if in_code else fill.line,
                           f"with the first accepted answer of each blank ({answers}), {what}", FILL_HINT)


# -- write a function ----------------------------------------------------------------


class FunctionCheck(Check):
    """The solution must pass every test; the starter must fail at least one."""

    def __init__(self, block: ExerciseBlock):
        super().__init__(block.page, block.line, "exercise", outcome_key("exercise", block.src),
                         f"exercise@{block.line}")
        self.block = block
        exercise = block.exercise
        self.sessions = [
            [self._section_block(exercise.solution), self._tests_block(exercise, expect_failure=False)],
            [self._section_block(exercise.starter), self._tests_block(exercise, expect_failure=True)],
        ]

    def _section_block(self, section: Section) -> RunBlock:
        origins = tuple(SourceLine(self.block.exercise.path, section.file_line(number))
                        for number in range(1, section.code.count("\n") + 1))
        return RunBlock(self.page, self.line, section.code, RunOptions(isolated=True), origins,
                        (self.block.exercise.src,))

    def _tests_block(self, exercise: FunctionExercise, expect_failure: bool) -> RunBlock:
        """The tests section, then a call of each test function, in the order they are defined.

        After the starter, any Exception is the expected failure (raises="Exception"),
        so that a good exercise's results are cached like any example's.
        """
        tests = exercise.tests
        code = tests.code + "".join(f"{name}()\n" for name, _ in exercise.test_functions)
        origins = tuple(SourceLine(exercise.path, tests.file_line(number))
                        for number in range(1, tests.code.count("\n") + 1))
        origins += tuple(SourceLine(exercise.path, line) for _, line in exercise.test_functions)
        options = RunOptions(isolated=True, raises="Exception" if expect_failure else None)
        return RunBlock(self.page, self.line, code, options, origins, (exercise.src,))

    def judge(self, results: list[list[BlockResult]]) -> list[AuthorError]:
        (solution, solution_tests), (starter, starter_tests) = results
        errors = []
        if solution.failed:
            errors.append(self._error(solution.error, "solution", "the solution does not run: "))
        elif solution_tests.failed:
            test = self._test_at(solution_tests.error)
            error = self._error(solution_tests.error, "tests", f"the solution fails {test or 'the tests'}: ",
                                "fix the solution (or the test, if the test is wrong)")
            inside = self._solution_line(solution_tests, solution.block)
            if inside:
                error = AuthorError(error.path, error.line, f"{error.message}; it was raised in the solution at "
                                    f"{inside.path}:{inside.line}", error.hint)
            errors.append(error)
        if starter.failed:
            errors.append(self._error(starter.error, "starter", "the starter does not run: ",
                                      "the learner's starting point must run; leave the part to write as `...`"))
        elif starter_tests.failed:
            errors.append(self._starter_tests_error(starter_tests))
        return errors

    def _starter_tests_error(self, result: BlockResult) -> AuthorError:
        exercise = self.block.exercise
        if result.exception_type is None and "raised nothing" in result.error.message:
            return AuthorError(exercise.path, exercise.starter.marker_line,
                               f"starter section: the starter passes every test{self._where()}: it must fail "
                               "at least one, or the learner has nothing to do",
                               "leave the part the learner writes out of the starter (e.g. a body of `...`)")
        if result.exception_type is not None:  # raised, but not an Exception (SystemExit, KeyboardInterrupt)
            return AuthorError(exercise.path, exercise.tests.marker_line,
                               f"tests section: after the starter, the tests raised {result.exception_type}, "
                               f"which is not a test failure{self._where()}",
                               "a failing test raises an Exception such as AssertionError; do not exit")
        return self._error(result.error, "tests", "after the starter, ")

    def _error(self, error: AuthorError, section: str, prefix: str, hint: str = "") -> AuthorError:
        """The runner's error, told as a problem of one section of the exercise file."""
        exercise = self.block.exercise
        message = f"{section} section: {prefix}{error.message.replace('the example ', 'it ', 1)}{self._where()}"
        if error.path == exercise.path and error.line:
            return AuthorError(error.path, error.line, message, hint or error.hint)
        return AuthorError(exercise.path, exercise.section(section).marker_line, message, hint or error.hint)

    @staticmethod
    def _solution_line(result: BlockResult, solution: RunBlock) -> SourceLine | None:
        """Where in the solution section the exception came from, read from the trimmed traceback."""
        lines = re.findall(rf'File "{re.escape(BLOCK_FILE_PREFIX)}1>", line (\d+)', result.traceback or "")
        return solution.origin(int(lines[-1])) if lines else None

    def _where(self) -> str:
        return f" (exercise '{self.block.title}' on {self.page}:{self.line})"

    def _test_at(self, error: AuthorError) -> str | None:
        """The test function holding the failing line of the exercise file, as `name()`."""
        tests = self.block.exercise.tests
        if error.path != self.block.exercise.path or error.line is None:
            return None
        for node in ast.parse(tests.code).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                if tests.file_line(node.lineno) <= error.line <= tests.file_line(node.end_lineno or node.lineno):
                    return f"{node.name}()"
        return None

"""The examples' driver process (see background.py): run the courses the build sends.

Run as a script: `python driver.py HOOKS_DIR`. Reads from standard input the
Runner's options, then ("course", number, pages, notebooks, cache settings,
lessons) for each build; writes to standard output ("page", number, PageRun)
for each page as it is done, in order (a lesson's with its notebook, made
here, off the build's critical path), or ("error", number, text) when the
runner itself fails. Ends when standard input does, after the sessions it
started.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import traceback


def main(hooks_dir: str) -> None:
    sys.path.insert(0, hooks_dir)
    # Its threads mostly wait for sessions; one that wakes should get Python's lock at once, not after
    # another thread's default 5 ms turn (which would idle a session between two blocks).
    sys.setswitchinterval(0.0005)
    from courseware.cache import ResultCache
    from courseware.execution import CourseExecution
    from courseware.notebooks import dumps, lesson_notebook
    from courseware.runner.background import receive_message, send_message
    from courseware.runner.client import Runner, RunnerError

    incoming = sys.stdin.buffer
    # Results go out on a private copy of standard output; whatever else prints (and
    # the warm parent, which inherits it) writes to standard error instead.
    outgoing = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    outbox: queue.Queue = queue.Queue()  # sessions never wait for the build to read their results

    def send_all() -> None:
        while (message := outbox.get()) is not None:
            try:
                send_message(outgoing, message)
            except BrokenPipeError:
                return  # the build ended without reading the rest (it stopped, or needs no more)

    def failure(error: BaseException) -> str:
        if isinstance(error, RunnerError):
            return str(error)
        return "the examples' driver failed:\n" + "".join(
            traceback.format_exception(type(error), error, error.__traceback__))

    def hand_out(number: int, execution: CourseExecution, lessons: frozenset[str]) -> None:
        try:
            for page_run in execution.page_runs():
                if page_run.page in lessons:
                    page_run.notebook = dumps(lesson_notebook(execution.pages[page_run.page], page_run.page,
                                                              page_run.results, runner.snippets_dir,
                                                              runner.settings_module))
                outbox.put(("page", number, page_run))
        except Exception as error:
            outbox.put(("error", number, failure(error)))

    sender = threading.Thread(target=send_all, name="course-results")
    sender.start()
    runner = Runner(**receive_message(incoming))
    courses: list[threading.Thread] = []
    try:
        # The warm parent starts with the first session to run (Runner.submit): a build that finds
        # everything in the cache never pays for Django's set-up, nor takes a core from MkDocs for it.
        while (request := receive_message(incoming)) is not None:
            _, number, pages, notebooks, cache, lessons = request
            try:
                results_cache = None if cache is None else ResultCache(
                    cache.folder, runner.snippets_dir, cache.settings_file, mode=cache.mode)
                execution = CourseExecution(runner, runner.snippets_dir, results_cache, pages, notebooks)
                handing_out = threading.Thread(target=hand_out, args=(number, execution, lessons),
                                               name="course-pages")
                handing_out.start()  # the first pages go out while later ones are scanned
                courses.append(handing_out)
                execution.start()
            except Exception as error:
                outbox.put(("error", number, failure(error)))
    finally:
        for course in courses:
            course.join()
        runner.close()
        outbox.put(None)
        sender.join()


if __name__ == "__main__":
    main(sys.argv[1])

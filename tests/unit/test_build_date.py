"""The build's date is the commit's (courseware.build_date), so rebuilding a commit later changes nothing."""

from __future__ import annotations

import subprocess

from courseware.build_date import VARIABLE, commit_epoch, fix_build_date
from tests.conftest import REPO


def test_the_date_is_that_of_the_checked_out_commit():
    expected = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%ct"], capture_output=True,
                              text=True, check=True).stdout.strip()
    environ = {}
    assert fix_build_date(environ, REPO) == expected
    assert environ == {VARIABLE: expected}


def test_a_date_given_by_the_environment_wins():
    environ = {VARIABLE: "1780304400"}
    assert fix_build_date(environ, REPO) == "1780304400"
    assert environ == {VARIABLE: "1780304400"}


def test_outside_a_git_checkout_nothing_is_set(tmp_path):
    environ = {}
    assert commit_epoch(tmp_path) is None
    assert fix_build_date(environ, tmp_path) is None
    assert environ == {}

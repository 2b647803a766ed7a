"""A machine without Chromium or Pango: the suite names what is missing and how to install
it, skips only the tests that need it, and stops instead when ``CI`` is set
(``tests.system``; issue 14). Tried on this machine by pretending the parts are missing."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import system

ROOT = Path(__file__).resolve().parents[1]
#: One test that renders a PDF, one browser test, one that needs neither.
TESTS = [
    "tests/reses/test_agenda.py::test_agenda_pdf_holds_agenda_profile_and_attendance_sheet",
    "tests/browser/test_browser_tracker.py::test_browser_public_tracker_fits_360_pixels_without_login",
    "tests/test_locale.py",
]


def _run_suite(**env):
    environ = {key: value for key, value in os.environ.items() if key != "CI"}
    environ.update(env)
    environ.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *TESTS],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_missing_parts_are_named_and_only_their_tests_skipped():
    result = _run_suite(KK_SUITE_WITHOUT="chromium,pango")

    assert result.returncode == 0, result.stdout + result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    assert re.search(r"\b[1-9]\d* passed, 2 skipped", last_line), last_line
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 2
    assert "test_browser_tracker.py" in skipped[0] or "test_browser_tracker.py" in skipped[1]
    assert "Chromium is missing: the browser tests (tests/browser/) are skipped. " in result.stdout
    assert "Install it with: apt-get install chromium" in result.stdout
    assert "Install it with: apt-get install libpango-1.0-0" in result.stdout


def test_in_ci_a_missing_part_stops_the_run():
    result = _run_suite(KK_SUITE_WITHOUT="pango", CI="true")

    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "CI is set and this machine lacks what the suite needs" in result.stderr
    assert "Pango is missing" in result.stderr
    assert "passed" not in result.stdout


@pytest.mark.parametrize(("value", "expected"), [("", False), ("0", False), ("true", True)])
def test_in_ci_reads_the_ci_variable(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)

    assert system.in_ci() is expected

"""A machine without Chromium, Pango or gettext: ``bin/test`` names what is missing and how
to install it, runs everything else, skips only the tests that need the missing part with
that message in the summary, and stops instead when ``CI`` is set (``tests.system``;
issue 14).

Tried on this machine by taking the parts away for real: a ``PATH`` that holds every
program of this one except ``chromium`` and gettext's ``msgfmt``, and a ``weasyprint``
ahead of the installed one that fails to load as WeasyPrint does without Pango.
"""

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
#: The programs of Chromium and gettext that ``tests.system`` and ``bin/test`` look for.
TAKEN_AWAY = {"chromium", "msgfmt"}
#: What WeasyPrint raises when it cannot find Pango (cffi's ``dlopen``).
NO_PANGO = "cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object"


@pytest.fixture(scope="module")
def bare_machine(tmp_path_factory):
    """Environment variables of a machine without Chromium, Pango and gettext."""
    root = tmp_path_factory.mktemp("bare")
    programs = root / "bin"
    programs.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            path = os.path.join(directory, name)
            target = programs / name
            if name in TAKEN_AWAY or target.exists() or not os.access(path, os.X_OK):
                continue
            target.symlink_to(path)
    stub = root / "python" / "weasyprint"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(f"raise OSError({NO_PANGO!r})\n")
    return {"PATH": str(programs), "PYTHONPATH": str(root / "python")}


def _bin_test(bare_machine, *args, **env):
    environ = {key: value for key, value in os.environ.items() if key != "CI"}
    environ.pop("DATABASE_URL", None)
    environ.pop("KK_SUITE_WITHOUT", None)
    environ.update(bare_machine, **env)
    return subprocess.run(
        [str(ROOT / "bin" / "test"), "-p", "no:cacheprovider", *args, *TESTS],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_bin_test_without_chromium_pango_and_gettext_runs_the_rest(bare_machine):
    # Two workers, as bin/test runs the whole suite: the controller writes the summary.
    result = _bin_test(bare_machine, "-n", "2")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    last_line = result.stdout.strip().splitlines()[-1]
    assert re.search(r"\b[1-9]\d* passed, 2 skipped", last_line), last_line
    skipped = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 2
    assert any("Chromium is missing" in line for line in skipped), skipped
    assert any("Pango is missing" in line for line in skipped), skipped
    # After the last test's progress: the summary a reader sees at the end.
    summary = result.stdout[result.stdout.rindex("[100%]") :]
    for line in (
        "Chromium is missing: the browser tests (tests/browser/) are skipped. "
        "Install it with: apt-get install chromium",
        "Pango is missing: the tests that render a PDF (WeasyPrint) are skipped. "
        "Install it with: apt-get install libpango-1.0-0",
        "gettext is missing: the translations are not compiled",
    ):
        assert line in summary, summary
    assert "gettext is missing: the committed translations are used." in result.stderr


def test_bin_test_in_ci_stops_on_the_missing_parts(bare_machine):
    result = _bin_test(bare_machine, CI="true")

    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout + result.stderr
    assert "CI is set and this machine lacks what the suite needs" in result.stderr
    for name in ("Chromium", "Pango", "gettext"):
        assert f"{name} is missing" in result.stderr
    assert "passed" not in result.stdout


def test_missing_parts_found_on_path_and_by_loading_weasyprint(monkeypatch, tmp_path):
    monkeypatch.delenv("KK_SUITE_WITHOUT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(system, "_pango_loads", lambda: False)

    assert system.missing_parts() == ["chromium", "pango", "gettext"]


def test_pango_missing_when_weasyprint_cannot_load_it(monkeypatch, tmp_path):
    (tmp_path / "weasyprint.py").write_text(f"raise OSError({NO_PANGO!r})\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)

    assert system._pango_loads() is False


def test_suite_without_pretends_parts_are_missing(monkeypatch):
    monkeypatch.setenv("KK_SUITE_WITHOUT", "chromium,gettext")

    assert {"chromium", "gettext"} <= set(system.missing_parts())


@pytest.mark.parametrize(("value", "expected"), [("", False), ("0", False), ("true", True)])
def test_in_ci_reads_the_ci_variable(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)

    assert system.in_ci() is expected

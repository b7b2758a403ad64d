"""The command line: extract, evaluate and bench, and clear errors for bad input."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import verifier
from verifier.cli import main

REPORT = (
    "The “Helping Ours” Foundation moved 39 Ukrainian children to Moscow Oblast in late March"
    " 2025.\n"
    "Russia has reportedly deported over 1,200 Ukrainians since 2022.\n"
)


def run_main(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out=out), out.getvalue()


def test_extract_prints_one_json_object_per_claim(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    status, out = run_main("extract", "--published", "2025-03-31", str(path))
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    assert [(r["text"], r["unit"], r["qualifier"]) for r in rows] == [
        ("39", "child", "exact"),
        ("over 1,200", "ukrainian", "more_than"),
    ]
    assert rows[1]["time_end"] == "2025-03-31"
    assert all(REPORT[r["start"] : r["end"]] == r["text"] for r in rows)


def test_extract_json_format_prints_a_list(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    status, out = run_main("extract", "--format", "json", str(path))
    assert status == 0 and len(json.loads(out)) == 2


def test_offsets_survive_crlf_line_breaks(tmp_path: Path) -> None:
    text = REPORT.replace("\n", "\r\n")
    path = tmp_path / "crlf.txt"
    path.write_bytes(text.encode("utf-8"))
    _, out = run_main("extract", str(path))
    assert all(text[r["start"] : r["end"]] == r["text"] for r in map(json.loads, out.splitlines()))


def test_every_contract_key_is_printed(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    _, out = run_main("extract", str(path))
    assert set(json.loads(out.splitlines()[0])) == {
        "kind", "start", "end", "text", "value", "lower", "upper", "qualifier", "unit",
        "subject", "time_text", "time_start", "time_end", "sentence_start", "sentence_end",
        "attributed_to", "hedges", "places", "actors", "role", "phase", "inherited",
    }  # fmt: skip


def test_a_missing_file_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    status, _ = run_main("extract", "/nonexistent/report.txt")
    assert status == 2
    assert "cannot read /nonexistent/report.txt" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Über 300 Häuser wurden zerstört.".encode("latin-1"))
    status, _ = run_main("extract", str(path))
    assert status == 2
    assert "not valid UTF-8" in capsys.readouterr().err


def test_python_m_verifier_reads_standard_input() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "verifier", "extract", "-"],
        input=REPORT.encode("utf-8"), capture_output=True, check=False,
        cwd=Path(verifier.__file__).parent.parent,
    )  # fmt: skip
    assert result.returncode == 0
    assert len(result.stdout.decode("utf-8").splitlines()) == 2


def test_a_bad_published_date_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["extract", "--published", "31/03/2025", "-"])
    assert exc.value.code == 2


def test_evaluate_prints_the_figures(tmp_path: Path) -> None:
    text = "Officials counted 39 children and over 1,200 adults on March 2."
    gold = [{
        "doc_id": "mine", "text": text, "non_claims": [{"text": "March 2", "start": 55}],
        "neutral_spans": [],
        "claims": [
            {"number_text": "39", "start": 18, "end": 20, "value": 39, "lower": 39, "upper": 39,
             "qualifier": "exact", "unit": "child", "time": "on March 2"},
            {"number_text": "over 1,200", "start": 34, "end": 44, "value": 1200, "lower": 1200,
             "upper": None, "qualifier": "more_than", "unit": "adult", "time": "on March 2"},
        ],
    }]  # fmt: skip
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    status, out = run_main("evaluate", str(path))
    figures = json.loads(out)
    assert status == 0
    assert (figures["f1"], figures["qualifier_acc"], figures["unit_acc"], figures["time_acc"]) == (
        1.0,
        1.0,
        1.0,
        1.0,
    )


def test_bench_prints_a_ratio_per_corpus_the_shapes_and_memory() -> None:
    status, out = run_main("bench", "--size-mb", "0.02", "--large-mb", "0.2", "--repeats", "1")
    assert status == 0
    # quantulum3 comes with requirements/bench.txt (`make bench`), not with the test tools.
    compared = importlib.util.find_spec("quantulum3") is not None
    for corpus in (
        "seed repeated",
        "generated report text",
        "report-style text",
        "public report text",
    ):
        line = next(line for line in out.splitlines() if line.startswith(corpus))
        assert "chars/s" in line
        assert ("ratio" in line) == compared
    if not compared:
        assert "quantulum3  not installed: pip install -r requirements/bench.txt" in out
    assert "one 40 KB paragraph" in out and "no sentence end" in out
    assert "streamed peak RSS" in out

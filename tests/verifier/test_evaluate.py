"""The evaluate command agrees with the shared scorer on the shared development set."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from verifier import extract_claims
from verifier.evaluate import norm_unit, score

# The shared set sits beside the checkout: /work/shared next to /work/main, and two levels up
# from a worktree in /work/wt/issueN.
SHARED = next(
    (
        p / "shared" / "eval"
        for p in Path(__file__).resolve().parents
        if (p / "shared" / "eval").is_dir()
    ),
    Path("shared") / "eval",
)


@pytest.mark.parametrize(
    ("unit", "normal"),
    [("children", "child"), ("km", "kilometer"), ("torture centers", "center"), ("%", "percent"),
     ("casualties", "casualty"), (None, "")],
)  # fmt: skip
def test_units_are_compared_in_their_normal_form(unit: str | None, normal: str) -> None:
    assert norm_unit(unit) == normal


@pytest.mark.skipif(not (SHARED / "score.py").exists(), reason="shared eval set not present")
def test_evaluate_agrees_with_the_shared_scorer(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "score.py")
    assert spec and spec.loader
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    gold = json.loads((SHARED / "dev.json").read_text(encoding="utf-8"))
    for doc in gold:
        rows = [json.dumps(c.to_dict(), ensure_ascii=False) for c in extract_claims(doc["text"])]
        (tmp_path / f"{doc['doc_id']}.jsonl").write_text("\n".join(rows), encoding="utf-8")
    theirs = shared.score(gold, tmp_path)
    ours = score(gold, lambda text: (c.to_dict() for c in extract_claims(text)))
    assert ours == theirs
    assert ours["f1"] >= 0.95 and ours["qualifier_acc"] >= 0.95
    assert ours["unit_acc"] >= 0.90 and ours["time_acc"] >= 0.85

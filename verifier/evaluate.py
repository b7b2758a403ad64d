"""Scoring extraction against an annotated set, with the eval README's definitions.

A prediction matches a gold claim when the spans overlap and the numbers agree (value, or
lower and upper for ranges; vague gold with no value matches on overlap alone). Borderline
gold claims and neutral spans count neither way. The figures are the same as those of the
shared ``score.py``; this module only runs the extractor itself instead of reading files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

_IRREGULAR = {
    "children": "child", "people": "person", "men": "man", "women": "woman",
    "persons": "person", "kilometres": "kilometer", "kilometre": "kilometer",
    "km": "kilometer", "%": "percent", "per cent": "percent", "$": "usd",
    "dollar": "usd", "dollars": "usd",
}  # fmt: skip

Predictor = Callable[[str], Iterable[dict[str, Any]]]


def norm_unit(unit: str | None) -> str:
    """Return the comparison form of a unit: the last word, singular, lower case."""
    if not unit:
        return ""
    u = unit.strip().lower()
    if u in _IRREGULAR:
        return _IRREGULAR[u]
    words = u.split()
    last = words[-1] if words else u
    last = _IRREGULAR.get(last, last)
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return last


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _numbers_agree(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    if gold["qualifier"] == "range":
        return _close(gold.get("lower"), pred.get("lower")) and _close(
            gold.get("upper"), pred.get("upper")
        )
    if gold.get("value") is None:
        return True
    return _close(gold["value"], pred.get("value"))


def _valid_offsets(text: str, pred: dict[str, Any]) -> bool:
    s, e = pred.get("start"), pred.get("end")
    if not isinstance(s, int) or not isinstance(e, int):
        return False
    return text[s:e] == pred.get("text", text[s:e]) and 0 <= s < e <= len(text)


def score(gold_docs: list[dict[str, Any]], predict: Predictor) -> dict[str, Any]:
    """Return precision, recall, F1, qualifier/unit/time accuracy and error counts."""
    tp = fp = fn = q_ok = u_ok = t_ok = t_n = fp_on_nonclaims = bad_offsets = 0
    misses: list[str] = []
    spurious: list[str] = []
    for doc in gold_docs:
        text = doc["text"]
        preds = [p for p in predict(text) if p.get("kind", "quantitative") == "quantitative"]
        bad_offsets += sum(not _valid_offsets(text, p) for p in preds)
        used: set[int] = set()
        for gold in doc["claims"]:
            hit = next(
                (
                    i for i, p in enumerate(preds)
                    if i not in used
                    and _overlaps(gold["start"], gold["end"], p["start"], p["end"])
                    and _numbers_agree(gold, p)
                ),
                None,
            )  # fmt: skip
            if hit is None:
                if not gold.get("borderline"):
                    fn += 1
                    misses.append(f"{doc['doc_id']}: {gold['number_text']!r} {gold.get('unit')}")
                continue
            used.add(hit)
            if gold.get("borderline"):
                continue
            tp += 1
            pred = preds[hit]
            q_ok += pred.get("qualifier") == gold["qualifier"]
            gu, pu = norm_unit(gold.get("unit")), norm_unit(pred.get("unit"))
            subject = (pred.get("subject") or "").lower()
            if gu and (gu == pu or re.search(r"\b" + re.escape(gu), subject)):
                u_ok += 1
            if gold.get("time"):
                t_n += 1
                pt, gt = (pred.get("time_text") or "").lower(), gold["time"].lower()
                t_ok += bool(pt and (pt in gt or gt in pt))
        ignored = [(n["start"], n["end"]) for n in doc.get("neutral_spans", [])]
        ignored += [(g["start"], g["end"]) for g in doc["claims"] if g.get("borderline")]
        nonclaims = [(n["start"], n["start"] + len(n["text"])) for n in doc.get("non_claims", [])]
        for i, pred in enumerate(preds):
            span = (pred["start"], pred["end"])
            if i in used or any(_overlaps(*span, *n) for n in ignored):
                continue
            fp += 1
            fp_on_nonclaims += any(_overlaps(*span, *n) for n in nonclaims)
            spurious.append(f"{doc['doc_id']}: {text[span[0] : span[1]]!r}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "docs": len(gold_docs), "tp": tp, "fp": fp, "fn": fn,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "qualifier_acc": round(q_ok / tp, 4) if tp else 0.0,
        "unit_acc": round(u_ok / tp, 4) if tp else 0.0,
        "time_acc": round(t_ok / t_n, 4) if t_n else 0.0,
        "fp_on_nonclaims": fp_on_nonclaims, "bad_offsets": bad_offsets,
        "misses": misses[:40], "spurious": spurious[:40],
    }  # fmt: skip

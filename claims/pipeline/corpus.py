"""Dense report text for the pipeline's benchmarks and size tests.

Built from the seed report's own sentences (their figures re-drawn) and the engine
benchmark's report-like template sentences, with a numbered endnotes list of cited URLs, so
the text exercises extraction, citations and verification the way a daily update does.
Deterministic for a given ``seed``; different seeds give different documents.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from verifier.bench import paragraphs as template_paragraphs

SEED_REPORT = Path(__file__).resolve().parents[2] / "seeds"
_NUMBER = re.compile(r"\b\d[\d,]*\b")
# Endnotes grow with the report, as in real daily updates: 3 for a short note, 98 at most.
_MAX_ENDNOTES = 98


def _seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SEED_REPORT.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\nKey Takeaways")[0]
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s) > 40]
    return sentences


def _redraw(sentence: str, rng: random.Random) -> str:
    # Years stay years; other figures change so that documents differ.
    def swap(match: re.Match[str]) -> str:
        digits = match.group(0).replace(",", "")
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return match.group(0)
        return f"{rng.randint(2, 9999):,}"

    return _NUMBER.sub(swap, sentence)


def dense_report(size_chars: int, *, seed: int = 1) -> str:
    """A report of at least ``size_chars`` characters, about 12 claims per kilobyte."""
    rng = random.Random(seed)
    seed_sentences = _seed_sentences()
    generated = template_paragraphs(seed)
    parts: list[str] = [f"Daily assessment {seed}: Russian occupation update\n"]
    total = len(parts[0])
    endnotes = max(3, min(_MAX_ENDNOTES, size_chars // 10_000))
    notes = "\nSources\n" + "".join(
        f"[{n}] https://example-{seed % 7}.org/reports/{seed}/{n}\n" for n in range(1, endnotes + 1)
    )
    while total + len(notes) < size_chars:
        if rng.random() < 0.3 and seed_sentences:
            picked = rng.sample(seed_sentences, k=min(4, len(seed_sentences)))
            paragraph = " ".join(_redraw(s, rng) for s in picked) + "\n"
        else:
            paragraph = next(generated)
        parts.append(paragraph)
        total += len(paragraph)
    return "".join(parts) + notes

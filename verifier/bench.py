"""``python -m verifier bench``: throughput against quantulum3, and memory on streamed input.

The text is generated here from our own template sentences (no third-party report text),
deterministically, so runs are comparable across machines and commits.
"""

from __future__ import annotations

import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterator
from typing import TextIO

from .extract import extract_claims, iter_claims

_PLACES = ["Pokrovsk", "Kupyansk", "Toretsk", "Huliaipole", "Vovchansk", "Siversk", "Kherson"]
_OBLASTS = ["Donetsk Oblast", "Kharkiv Oblast", "Zaporizhia Oblast", "Luhansk Oblast"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
_WORDS = ["two", "three", "five", "twelve", "thirty-nine", "a dozen", "several dozen"]
_TEMPLATES = [
    "Russian forces conducted {n} assaults near {place} on {month} {day}.[{fn}]",
    "The General Staff reported that Ukrainian forces repelled over {n} attacks in {oblast}.",
    "Geolocated footage published on {month} {day} shows that Russian forces advanced "
    "within {small}km of {place}.[{fn}]",
    "Occupation officials claimed that {big} residents received passports since 2022.",
    "A milblogger claimed that {word} drones struck positions about {small}km east of {place}.",
    "ISW assesses that Russian forces will likely continue offensive operations near {place}.",
    "Russia reportedly deported between {small} and {n} children to camps in {oblast}.",
    "The Kremlin allocated {big} rubles (about ${money}) to the program in late {month} 2025.",
    "Ukrainian officials stated that {pct}% of the homes in {place} were damaged.",
    "The 58th Combined Arms Army and Su-34 aircraft operated near {place} on {month} {day}.",
    "Local authorities said up to {n} civilians remain in {place}, according to the UN.",
    "The occupation administration runs the “{place}” camp in occupied {oblast}.",
    "Russian forces launched {n} Shahed drones and {word} Kh-101 missiles overnight.[{fn}]",
    "Nearly {big} people lost power in {oblast}, and {small} killed and {n} injured civilians "
    "were reported.",
]


def _sentence(rng: random.Random) -> str:
    template = rng.choice(_TEMPLATES)
    return template.format(
        n=rng.randint(2, 400), small=rng.randint(2, 40),
        big=f"{rng.randint(1, 99)},{rng.randint(100, 999)}",
        money=f"{rng.randint(1, 900)},{rng.randint(100, 999)}", pct=round(rng.uniform(1, 99), 1),
        word=rng.choice(_WORDS), place=rng.choice(_PLACES), oblast=rng.choice(_OBLASTS),
        month=rng.choice(_MONTHS), day=rng.randint(1, 28), fn=rng.randint(1, 99),
    )  # fmt: skip


def paragraphs(seed: int = 3) -> Iterator[str]:
    """Yield report-like paragraphs of four to seven sentences, forever."""
    rng = random.Random(seed)
    while True:
        yield " ".join(_sentence(rng) for _ in range(rng.randint(4, 7))) + "\n"


def report_text(size_chars: int, seed: int = 3) -> list[str]:
    """Return paragraphs adding up to at least ``size_chars`` characters."""
    out: list[str] = []
    total = 0
    for paragraph in paragraphs(seed):
        if total >= size_chars:
            break
        out.append(paragraph)
        total += len(paragraph)
    return out


def _median_seconds(run: Callable[[], int], repeats: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        found = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), found


def _quantulum() -> Callable[[str], list[object]] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser  # type: ignore[import-not-found]
    except ImportError:
        return None
    parser.parse("warm-up: 5 km and 3 people")  # loads its unit tables once
    return parser.parse


def _streamed_peak(size_chars: int) -> float:
    """Peak traced memory (MiB) while streaming a file of ``size_chars`` through iter_claims."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        written = 0
        for paragraph in paragraphs(seed=11):
            if written >= size_chars:
                break
            f.write(paragraph)
            written += len(paragraph)
        path = f.name
    try:
        tracemalloc.start()
        with open(path, encoding="utf-8", newline="") as stream:
            for _ in iter_claims(stream):
                pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        os.unlink(path)
    return peak / 2**20


def run(*, size_mb: float, large_mb: float, repeats: int, out: TextIO | None = None) -> int:
    """Print the benchmark figures; return the exit status."""
    out = out or sys.stdout
    parts = report_text(int(size_mb * 1_000_000))
    text = "".join(parts)
    print(f"machine: {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()}", file=out)  # fmt: skip
    print(f"text: {len(text):,} chars of generated report text, {len(parts):,} paragraphs, "
          f"median of {repeats} runs", file=out)  # fmt: skip
    ours, claims = _median_seconds(lambda: len(extract_claims(text)), repeats)
    print(f"verifier    median {ours:8.3f} s  {len(text) / ours:12,.0f} chars/s  "
          f"({claims:,} claims)", file=out)  # fmt: skip
    parse = _quantulum()
    if parse is None:
        print("quantulum3  not installed: pip install -r requirements/bench.txt", file=out)
    else:
        theirs, quantities = _median_seconds(lambda: sum(len(parse(p)) for p in parts), repeats)
        print(f"quantulum3  median {theirs:8.3f} s  {len(text) / theirs:12,.0f} chars/s  "
              f"({quantities:,} quantities)", file=out)  # fmt: skip
        print(f"ratio       verifier is {theirs / ours:.1f}x quantulum3's throughput", file=out)
    small = _streamed_peak(int(large_mb * 1_000_000 / 8))
    large = _streamed_peak(int(large_mb * 1_000_000))
    print(f"memory      streamed peak {small:.2f} MiB for {large_mb / 8:g} MB, "
          f"{large:.2f} MiB for {large_mb:g} MB (tracemalloc)", file=out)  # fmt: skip
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(size_mb=1.0, large_mb=16.0, repeats=3, out=io.StringIO()))

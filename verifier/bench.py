"""``python -m verifier bench``: throughput against quantulum3 on four corpora, input shapes,
and memory on streamed input.

Every corpus is made at bench time from text the project ships (see benchtext.py): the seed
report repeated, generated ISW-style paragraphs, long paragraphs written for the project in
the style of UN/NGO reports and wires, and real public-domain US federal report text repeated
(benchdata/). Deterministic, so runs compare across commits.
"""

from __future__ import annotations

import io
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from typing import TextIO

from .benchtext import public_report_paragraphs, report_style_paragraphs, seed_paragraphs, take
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
    return take(paragraphs(seed), size_chars)


CORPORA: dict[str, Callable[[], Iterator[str]]] = {
    "seed repeated": seed_paragraphs,
    "generated report text": paragraphs,
    "report-style text": report_style_paragraphs,
    "public report text": public_report_paragraphs,
}


def _median_cpu(run: Callable[[], int], repeats: int) -> tuple[float, int]:
    """Median CPU seconds of this process over ``repeats`` runs, and what the last run found.
    CPU time, not wall time: other work on the machine does not count against either side."""
    times, found = [], 0
    for _ in range(repeats):
        start = time.process_time()
        found = run()
        times.append(time.process_time() - start)
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


def _warm_up() -> None:
    """Load what both sides load once (the unit lexicon, compiled patterns) before timing."""
    extract_claims("Warm-up: 5 km, $3 million and 20 mg on March 3, 2025.")


def _streamed_peak_rss(size_chars: int) -> float:
    """Peak resident memory (MiB) of a fresh process that streams ``size_chars`` characters
    of generated report text through iter_claims. A child process, so that what this one
    holds (the throughput corpora, quantulum3's tables) does not count."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        written = 0
        for paragraph in paragraphs(seed=11):
            if written >= size_chars:
                break
            f.write(paragraph)
            written += len(paragraph)
        path = f.name
    try:
        child = subprocess.run(
            [sys.executable, "-c", _STREAM_CHILD, path],
            capture_output=True, text=True, check=True,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )  # fmt: skip
    finally:
        os.unlink(path)
    return float(child.stdout.split()[-1])


_STREAM_CHILD = """
import resource, sys
from verifier import iter_claims
with open(sys.argv[1], encoding="utf-8", newline="") as stream:
    for _ in iter_claims(stream):
        pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def _shape_rate(text: str, repeats: int) -> float:
    seconds, _ = _median_cpu(lambda: sum(1 for _ in iter_claims(io.StringIO(text))), repeats)
    return len(text) / seconds


def _hard_wrapped(text: str, width: int = 70) -> str:
    """``text`` with each space after ``width`` characters of a line made a line break."""
    out, column = [], 0
    for ch in text:
        if ch == " " and column >= width:
            out.append("\n")
            column = 0
        else:
            out.append(ch)
            column += 1
    return "".join(out)


def _no_sentence_end(size_chars: int) -> str:
    """One "sentence" of figures and dates with no full stop and no line break at all."""
    parts, total, i = [], 0, 0
    while total < size_chars:
        part = f"{i * 7 % 900 + 3} drones over {i % 50 + 2} km in March 2025 and ${i % 90 + 1}m, "
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)


def _outside_cases(out: TextIO) -> None:
    """quantulum3's own test cases (text nobody on the team wrote), scored as outside.py says."""
    from .outside import cases_path, load_cases, score

    path = cases_path()
    if path is None:
        return
    figures = score(load_cases(path), lambda text: [c.to_dict() for c in extract_claims(text)])
    found, value, unit = (
        figures.share(n) for n in (figures.found, figures.value_right, figures.unit_right)
    )
    print(f"quantulum3's test cases  {figures.expected} quantities: found {found:.1%}, "
          f"value right {value:.1%}, unit right {unit:.1%}", file=out)  # fmt: skip


def run(
    *, size_mb: float, large_mb: float, repeats: int, out: TextIO | None = None,
    corpora: tuple[str, ...] = tuple(CORPORA),
) -> int:  # fmt: skip
    """Print the benchmark figures; return the exit status."""
    out = out or sys.stdout
    size = int(size_mb * 1_000_000)
    print(f"machine: {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.machine()}; "
          f"median CPU time of {repeats} runs", file=out)  # fmt: skip
    _warm_up()
    parse = _quantulum()
    if parse is None:
        print("quantulum3  not installed: pip install -r requirements/bench.txt", file=out)
    for name in corpora:
        parts = take(CORPORA[name](), size)
        text = "".join(parts)
        ours, claims = _median_cpu(lambda text=text: len(extract_claims(text)), repeats)
        line = (f"{name:22} {len(text):>10,} chars  verifier {len(text) / ours:>10,.0f} chars/s "
                f"({claims:,} claims)")  # fmt: skip
        if parse is not None:
            theirs, found = _median_cpu(
                lambda parts=parts: sum(len(parse(p)) for p in parts), repeats
            )
            line += (f"  quantulum3 {len(text) / theirs:>8,.0f} chars/s ({found:,})  "
                     f"ratio {theirs / ours:.1f}x")  # fmt: skip
        print(line, file=out)
    _outside_cases(out)
    base = "".join(take(paragraphs(seed=7), 40_000)).replace("\n", " ")
    long_line = "".join(take(report_style_paragraphs(seed=9), size)).replace("\n", " ")
    shapes = [
        ("one 4 KB paragraph", base[:4_000]),
        ("one 40 KB paragraph", base[:40_000]),
        ("one 100 KB line", long_line[:100_000]),
        (f"one {size_mb:g} MB line, no breaks", long_line),
        ("100 KB, no sentence end", _no_sentence_end(100_000)),
        (f"{size_mb:g} MB, no sentence end", _no_sentence_end(size)),
        # PDF text: a line break every 70 characters or so, inside sentences
        ("100 KB hard-wrapped", _hard_wrapped(long_line[:100_000])),
        (f"{size_mb:g} MB hard-wrapped", _hard_wrapped(long_line)),
    ]
    rates = [(label, _shape_rate(text, max(1, repeats // 2))) for label, text in shapes]
    print("shapes      " + "; ".join(f"{label} {rate:,.0f} chars/s" for label, rate in rates),
          file=out)  # fmt: skip
    small = _streamed_peak_rss(int(large_mb * 1_000_000 / 10))
    large = _streamed_peak_rss(int(large_mb * 1_000_000))
    print(f"memory      streamed peak RSS {small:.1f} MiB for {large_mb / 10:g} MB, "
          f"{large:.1f} MiB for {large_mb:g} MB (a fresh process each)", file=out)  # fmt: skip
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(size_mb=1.0, large_mb=50.0, repeats=5))

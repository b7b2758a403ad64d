"""Benchmark corpora, made at bench time from text the project may ship.

- ``seed``: the seed report (seeds/), repeated.
- ``generated``: short ISW-style paragraphs from bench templates.
- ``report-style``: long paragraphs written for this project in the style of the public
  reports a desk reads (UN and NGO situation reports, news wires, headlines, tables pasted as
  text, economic and scientific figures). No third-party text is copied: every template
  sentence was written here, and the generator only fills in names and figures.
- ``public``: real public report text nobody on the team wrote: 309 paragraphs (151 KB) of US
  federal government publications on Ukraine (State Department, CRS, GAO, USAID, DoD and
  their inspectors general), public domain under 17 U.S.C. § 105, repeated. Sources in
  benchdata/SOURCES.md.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

SEED = (
    Path(__file__).resolve().parents[1] / "seeds" / "isw-russian-occupation-update-2025-03-31.txt"
)
PUBLIC_REPORTS = Path(__file__).resolve().parent / "benchdata" / "public_reports.txt"

_PLACES = ["Kharkiv", "Zaporizhzhia", "Dnipro", "Odesa", "Sumy", "Kherson", "Mykolaiv", "Lviv"]
_REGIONS = ["Donetsk region", "Kharkiv oblast", "the south", "frontline areas", "the east"]
_AGENCIES = ["OHCHR", "UNHCR", "WHO", "UNICEF", "IOM", "the Health Cluster", "OCHA", "WFP"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September"]
_STYLE_TEMPLATES = [
    "From {day} {month} to {day2} {month}, {agency} recorded {n:,} civilian casualties in the "
    "country, including {small} killed and {n2:,} injured.",
    "As at {day} {month}, at least {n:,} people were without electricity across {region} "
    "({agency} {day}/0{m}/2024).",
    "An estimated {big} million people—more than {pct}% of the population—require urgent "
    "humanitarian assistance.",
    "Approximately {n} attacks on health care were verified since 24 February 2022, affecting "
    "hospitals, ambulances and staff.",
    "{agency} delivered more than {n:,} tonnes of food and {small} trucks of medical supplies "
    "to {place} over the past week.",
    "The number of internally displaced persons rose by {n2:,} in {month}, the biggest monthly "
    "increase since 2022, according to {agency}.",
    "Prices of bread rose {pct} percent in {month} and fuel cost UAH {small}.{small2} per litre, "
    "while the hryvnia traded at {small2}.{small} to the US dollar.",
    "The appeal seeks US$ {big} million for {n:,} people, of which {pct}% has been funded so far.",
    "In {place}, {small} schools and {small2} kindergartens were damaged; {n2:,} children "
    "continue learning online.",
    "Temperatures are expected to fall to -{small} °C, and {n:,} households need winter "
    "heating support in {region}.",
    "Of the {n:,} returnees registered in {month}, {small} percent were women and children.",
    "Mine contamination affects an estimated {big} sq km, and {small} mine victims were "
    "reported in the last 30 days.",
    "The mission counted between {small} and {n} drones and {small2} missiles launched at "
    "{place} overnight.",
    "Water supply to {n2:,} residents of {place} was restored on {day} {month} after a "
    "{small}-hour outage.",
    "Cash assistance of UAH {n:,} per person per month reached {n2:,} people in {region}.",
    "Officials Say {small} Civilians Killed in Strike on {place}",
    "{n:,} people evacuated from {place} since the start of {month}, the governor said.",
    "Killed: {small}  Injured: {n}  Missing: {small2}",
    "Call the hotline at 0800 {small}{small2} {n} or write to info@relief.example.org for "
    "help; the office at {small} Shevchenka Street opens at 9:00.",
    "GDP fell {pct}% in the second quarter, exports dropped to ${big} billion and inflation "
    "eased to {small}.{small2} percent year on year.",
    "Radiation levels near the plant stayed at 0.{small2} µSv/h, well below the {small} mSv "
    "annual limit.",
    "The convoy of {small} trucks carried {n} tonnes of aid, {small2} generators and "
    "{n2:,} hygiene kits.",
    "Nearly two-thirds of respondents in {place} reported that at least one household member "
    "had lost income since {month}.",
]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        n=rng.randint(20, 9000), n2=rng.randint(1000, 90000), small=rng.randint(2, 60),
        small2=rng.randint(10, 99), big=round(rng.uniform(1.1, 18.9), 1),
        pct=rng.randint(5, 95), day=rng.randint(1, 14), day2=rng.randint(15, 28),
        m=rng.randint(1, 9), month=rng.choice(_MONTHS), place=rng.choice(_PLACES),
        region=rng.choice(_REGIONS), agency=rng.choice(_AGENCIES),
    )  # fmt: skip


def report_style_paragraphs(seed: int = 5) -> Iterator[str]:
    """Yield long report-style paragraphs (eight to twenty sentences, with headlines and
    table rows on their own lines), forever."""
    rng = random.Random(seed)
    while True:
        sentences = [_fill(rng.choice(_STYLE_TEMPLATES), rng) for _ in range(rng.randint(8, 20))]
        yield " ".join(sentences) + "\n"


def seed_paragraphs() -> Iterator[str]:
    """Yield the seed report's paragraphs, over and over."""
    lines = [line + "\n" for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    while True:
        yield from lines


def public_report_paragraphs() -> Iterator[str]:
    """Yield the public report paragraphs (benchdata/), over and over."""
    text = PUBLIC_REPORTS.read_text(encoding="utf-8")
    lines = [line + "\n" for line in text.splitlines() if line.strip()]
    while True:
        yield from lines


def take(paragraphs: Iterator[str], size_chars: int) -> list[str]:
    """The first paragraphs of ``paragraphs`` adding up to at least ``size_chars`` characters."""
    out: list[str] = []
    total = 0
    for paragraph in paragraphs:
        if total >= size_chars:
            break
        out.append(paragraph)
        total += len(paragraph)
    return out

"""Command line: ``python -m verifier extract|evaluate|bench``."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .extract import extract_claims, iter_claims
from .model import VerifierError

EXIT_USAGE = 2


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from None


def _open_text(name: str) -> TextIO:
    """Open FILE or stdin ("-") as strict UTF-8, keeping line breaks as they are."""
    if name == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict", newline="")
    try:
        return open(name, encoding="utf-8", errors="strict", newline="")
    except OSError as exc:
        raise VerifierError(f"cannot read {name}: {exc.strerror or exc}") from None


def _extract(args: argparse.Namespace, out: TextIO) -> int:
    stream = _open_text(args.file)
    try:
        claims = iter_claims(stream, published=args.published)
        if args.format == "json":
            json.dump([c.to_dict() for c in claims], out, ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            for claim in claims:
                out.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")
    except UnicodeDecodeError as exc:
        raise VerifierError(f"{args.file} is not valid UTF-8 (byte {exc.start})") from None
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 0


def _evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from .evaluate import score

    try:
        gold: Any = json.loads(Path(args.gold).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VerifierError(f"cannot read gold set {args.gold}: {exc}") from None
    if not isinstance(gold, list):
        raise VerifierError(f"{args.gold}: expected a list of documents")
    figures = score(gold, lambda text: (c.to_dict() for c in extract_claims(text)))
    out.write(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")
    return 0


def _bench(args: argparse.Namespace, out: TextIO) -> int:
    from .bench import run

    return run(size_mb=args.size_mb, large_mb=args.large_mb, repeats=args.repeats, out=out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m verifier", description=__doc__)
    parser.add_argument("--version", action="version", version=f"verifier {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the claims of a UTF-8 text")
    extract.add_argument("--published", type=_date, help="publication date, YYYY-MM-DD")
    extract.add_argument("--format", choices=("jsonl", "json"), default="jsonl")
    extract.add_argument("file", help="input file, or - for standard input")
    extract.set_defaults(handler=_extract)
    evaluate = commands.add_parser("evaluate", help="score extraction on an annotated set")
    evaluate.add_argument("gold", help="annotated set (JSON list of documents)")
    evaluate.set_defaults(handler=_evaluate)
    bench = commands.add_parser(
        "bench", help="throughput against quantulum3 on four corpora, input shapes, memory"
    )
    bench.add_argument("--size-mb", type=float, default=1.0, help="text size for throughput")
    bench.add_argument("--large-mb", type=float, default=50.0, help="streamed input size")
    bench.add_argument("--repeats", type=int, default=5, help="runs; the median CPU time counts")
    bench.set_defaults(handler=_bench)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; return the exit status (2 for bad input)."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args, out or sys.stdout)
    except VerifierError as exc:
        print(f"verifier: error: {exc}", file=sys.stderr)
        return EXIT_USAGE

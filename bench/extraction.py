"""How well `claimtrack extract` finds attributions, scored against PolNeAR's development split.

    .venv/bin/python bench/extraction.py [--data ../shared/polnear-dev] [--misses 40] [--false-positives 40]

Runs `claimtrack extract` once over every article in DATA/text/ (one process, as a user would), reads its JSON
lines and scores them against the brat gold in DATA/attributions/ (see app/bench/attributions.py for the
matching and the cue sets), then times `extract` in-process on each article. With --misses or
--false-positives it prints that many missed gold relations or unmatched proposals, with their context.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from app.bench.attributions import SPEECH_LEMMAS, Miss, Proposal, proposals_of, read_gold, score
from app.bench.seed_agreement import seed_agreement
from app.config import get_settings
from app.extraction import extract
from app.extraction.lexicon import VERB_FORMS
from app.extraction.segments import Quotations, normalise, paragraphs, quotations

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT.parent / "shared" / "polnear-dev"


def run_cli(files: list[Path]) -> tuple[dict[str, list[dict[str, object]]], float]:
    """`claimtrack extract FILE...` over every file in one process: its JSON lines by file, and the time."""
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "app.cli", "extract", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"claimtrack extract failed ({completed.returncode}):\n{completed.stderr}")
    lines = [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]
    return {Path(line["file"]).stem: line["attributions"] for line in lines}, seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--misses", type=int, default=0, metavar="N")
    parser.add_argument("--false-positives", type=int, default=0, metavar="N")
    parser.add_argument("--why", action="store_true", help="count the missed speech relations by reason")
    args = parser.parse_args()
    files = sorted((args.data / "text").glob("*.txt"))
    if not files:
        raise SystemExit(f"no articles in {args.data / 'text'}")
    names = [file.stem for file in files]
    texts = {file.stem: file.read_text(encoding="utf-8") for file in files}
    gold = read_gold(args.data, names)
    output, cli_seconds = run_cli(files)
    proposed = {name: proposals_of(attributions) for name, attributions in output.items()}  # type: ignore[arg-type]
    scores = score(texts, gold, proposed)

    timings = []  # the best of three runs of each article: the machine may be busy with other work
    for text in texts.values():
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            extract(text)
            runs.append((time.perf_counter() - started) * 1000)
        timings.append(min(runs))

    print(f"PolNeAR dev: {len(gold)} articles, {scores.gold} gold relations, {scores.proposals} proposals")
    print(f"precision                          {scores.precision:.3f}  ({scores.matched}/{scores.proposals})")
    speech = f"({scores.speech_found}/{scores.speech})"
    print(f"recall, speech and reporting cues  {scores.speech_recall:.3f}  {speech}")
    print(
        f"recall, relations with a source    {scores.sourced_recall:.3f}  "
        f"({scores.sourced_found}/{scores.sourced})"
    )
    print(f"content token F1, matched          {scores.content_f1:.3f}  ({scores.content_pairs} pairs)")
    print(
        f"stance accuracy, stance cues       {scores.stance_accuracy:.3f}  "
        f"({scores.stance_right}/{scores.stance_matched} matched of {scores.stance_cues})"
    )
    print(
        f"time per article                   {statistics.median(timings):.1f} ms median, "
        f"{max(timings):.1f} ms max in-process (best of 3); "
        f"{cli_seconds / len(files) * 1000:.0f} ms through the CLI "
        f"({cli_seconds:.2f} s for {len(files)} files, start-up included)"
    )
    seeds = seed_agreement(get_settings().seeds_dir)
    print(
        f"seed annotations proposed with their actor {seeds.proposed_share:.3f}  "
        f"({seeds.proposed}/{seeds.annotations}); stance right on {seeds.stance_share:.3f} of those "
        f"({seeds.stance_right}/{seeds.proposed})"
    )
    print(f"speech and reporting lemmas: {' '.join(SPEECH_LEMMAS)} (and 'according to')")
    missed = Counter(miss.relation.cue_text.lower() for miss in scores.misses)
    print(
        "most missed speech cues: " + ", ".join(f"{cue!r} {count}" for cue, count in missed.most_common(12))
    )
    if args.why:
        reasons = Counter(
            _reason(texts[miss.article], miss, proposed[miss.article]) for miss in scores.misses
        )
        for reason, count in reasons.most_common():
            print(f"missed, {reason}: {count}")
    for miss in scores.misses[: args.misses]:
        print(f"MISS {miss.article} cue={miss.relation.cue_text!r}: ...{miss.context!r}")
    for name, proposal, context in scores.false_positives[: args.false_positives]:
        print(f"FALSE {name} cue={proposal.cue} source={proposal.source}: ...{context!r}")
    for miss in seeds.misses[: args.misses]:
        proposed = ", ".join(miss.proposed_stances) or "not proposed"
        print(f"SEED MISS {miss.source} {miss.actor} {miss.stance} ({proposed}): {miss.quote[:90]!r}")
    return 0


def _reason(text: str, miss: Miss, proposals: list[Proposal]) -> str:
    """Why the extractor missed a gold relation, roughly, for the table in docs/extraction.md."""
    start, end = miss.relation.cue[0]
    plain = normalise(text)
    quotes = Quotations(quotations(plain, text, paragraphs(plain)))
    words = re.findall(r"[a-z']+", miss.relation.cue_text.lower())
    if quotes.containing(start, end) is not None:
        return "inside a quotation"
    if any(proposal.cue[0][0] < end and start < proposal.cue[0][1] for proposal in proposals):
        return "cue found, speaker span differs"
    if "according" in words:
        return "according to: speaker or content not delimited"
    if not any(word in VERB_FORMS for word in words):
        return "cue word not in the lexicon"
    if any(word.endswith("ing") for word in words):
        return "participle whose speaker is not found"
    return "speaker phrase not delimited"


if __name__ == "__main__":
    sys.exit(main())

"""Scoring proposed attributions against gold relations in brat standoff (PolNeAR's format).

A proposal matches a gold relation when its source and cue spans overlap the gold ones (a proposal without a
source matches a gold relation without one); the matching is one-to-one, the largest overlaps first.

Two subsets of the gold relations are defined from the gold cue's own words, so anyone can recompute them:

- speech and reporting cues: a cue with a word in `SPEECH_FORMS` (the forms of the lemmas in `SPEECH_LEMMAS`),
  or the words "according to";
- stance cues: `gold_stance` reads the cue and the few words after it: a refusal to comment ("declined to
  comment", "did not respond") is declined_to_comment, a negated confirm/verify/know ("could not confirm",
  "have
  no way of knowing") could_not_verify, deny/reject/dismiss denied, dispute disputed, and confirm/acknowledge/
  admit/concede confirmed. Other cues have no stance here.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

SPEECH_LEMMAS = [
    "say",
    "tell",
    "add",
    "note",
    "write",
    "report",
    "announce",
    "claim",
    "state",
    "explain",
    "insist",
    "argue",
    "warn",
    "declare",
    "tweet",
    "post",
    "ask",
    "reply",
    "respond",
    "answer",
    "comment",
    "confirm",
    "deny",
    "acknowledge",
    "admit",
    "concede",
    "predict",
    "recall",
    "mention",
    "quote",
    "cite",
    "emphasize",
    "stress",
    "complain",
    "testify",
    "allege",
    "assert",
    "contend",
]
"""The lemmas of speech and reporting verbs, for the recall on speech and reporting cues."""

_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written")}


def _forms(lemma: str) -> set[str]:
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", stem + "ed", stem + "ing", *_IRREGULAR.get(lemma, ())}
    if lemma.endswith("y") and lemma not in {"say"}:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith(("ss", "sh")):
        forms.add(lemma + "es")
    if lemma in {"admit", "cite"}:
        forms |= {"admitted", "admitting"} if lemma == "admit" else {"cited", "citing"}
    return forms


SPEECH_FORMS = frozenset(form for lemma in SPEECH_LEMMAS for form in _forms(lemma))

_NEGATION = r"(?:not|n't|never|no)"
_REFUSAL = re.compile(
    r"\b(?:declin\w*|refus\w*)\s+(?:to\s+)?(?:\w+\s+)?(?:comment|say|discuss|answer|respond|disclose|elaborate|"
    r"address|talk|speak|specify|reveal|identify|release|confirm|provide|give)\b"
    r"|\bdeclined\s*(?:[.,]|$)"
    rf"|\b(?:did|does|do|has|have|had)\s*{_NEGATION}\s+(?:\w+\s+)?(?:respond|reply|return|comment|answer)\w*"
    r"|\bno\s+comment\b",
    re.IGNORECASE,
)
_NON_CONFIRMATION = re.compile(
    rf"\b(?:could|can|cannot|did|does|do|would|was|were|is|are|has|have|had)\s*{_NEGATION}?\s*"
    r"(?:\w+\s+){0,2}(?:confirm|verify|know)\w*"
    rf"|\b{_NEGATION}\s+way\s+of\s+knowing|\bunable\s+to\s+(?:confirm|verify)|\b(?:not|n't)\s+sure\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(rf"\b{_NEGATION}\b|n't\b|\bcannot\b|\bunable\b", re.IGNORECASE)


def gold_stance(cue: str, following: str) -> str | None:
    """The stance a gold cue expresses, read from its words (and the words after it for a refusal's verb)."""
    window = f"{cue} {following}"
    lowered = cue.lower()
    if _REFUSAL.search(window) and re.search(r"declin|refus|respond|reply|return|comment|answer", lowered):
        return "declined_to_comment"
    negated = bool(_NEGATED.search(lowered))
    if negated and _NON_CONFIRMATION.search(lowered):
        return "could_not_verify"
    if negated:
        return None
    if re.search(r"\b(?:den(?:y|ied|ies|ial)|reject\w*|dismiss\w*)", lowered):
        return "denied"
    if re.search(r"\bdisput\w*", lowered):
        return "disputed"
    if re.search(r"\b(?:confirm\w*|acknowledg\w*|admit\w*|conced\w*)", lowered):
        return "confirmed"
    return None


Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldRelation:
    cue: Fragments
    cue_text: str
    source: Fragments | None
    content: Fragments | None
    stance: str | None

    @property
    def speech(self) -> bool:
        words = re.findall(r"[a-z']+", self.cue_text.lower())
        return "according to" in " ".join(words) or any(word in SPEECH_FORMS for word in words)


@dataclass(frozen=True)
class Proposal:
    cue: Fragments
    source: Fragments | None
    content: Fragments | None
    stance: str


def _fragments(ranges: str) -> Fragments:
    return tuple((int(start), int(end)) for start, end in (part.split() for part in ranges.split(";")))


def read_brat(annotation: str, text: str) -> list[GoldRelation]:
    """The attribution relations of one brat standoff file."""
    spans: dict[str, tuple[str, Fragments]] = {}
    relations: list[GoldRelation] = []
    lines = [line.split("\t") for line in annotation.splitlines() if line.strip()]
    for parts in lines:
        if parts[0].startswith("T") and len(parts) >= 2:
            label, ranges = parts[1].split(" ", 1)
            spans[parts[0]] = (label, _fragments(ranges))
    for parts in lines:
        if not parts[0].startswith("E") or len(parts) < 2:
            continue
        roles = dict(role.split(":", 1) for role in parts[1].split()[1:] if ":" in role)
        if "Cue" not in roles or roles["Cue"] not in spans:
            continue
        cue = spans[roles["Cue"]][1]
        cue_text = " ".join(text[start:end] for start, end in cue)
        following = text[cue[-1][1] : cue[-1][1] + 40]
        relations.append(
            GoldRelation(
                cue=cue,
                cue_text=cue_text,
                source=spans[roles["Source"]][1] if roles.get("Source") in spans else None,
                content=spans[roles["Content"]][1] if roles.get("Content") in spans else None,
                stance=gold_stance(cue_text, following),
            )
        )
    return relations


def read_gold(directory: Path, names: Iterable[str]) -> dict[str, list[GoldRelation]]:
    """The gold relations of each article: of its first annotator by file name when two annotated it."""
    gold: dict[str, list[GoldRelation]] = {}
    for name in names:
        text = (directory / "text" / f"{name}.txt").read_text(encoding="utf-8")
        files = sorted((directory / "attributions").glob(f"{name}_*.ann"))
        if files:
            gold[name] = read_brat(files[0].read_text(encoding="utf-8"), text)
    return gold


def _span(value: object) -> Fragments | None:
    if not isinstance(value, Mapping):
        return None
    return ((int(value["start"]), int(value["end"])),)


def proposals_of(attributions: Iterable[Mapping[str, object]]) -> list[Proposal]:
    """The proposals of one `claimtrack extract` JSON line's `attributions`."""
    proposals = []
    for item in attributions:
        cue = _span(item["cue"])
        if cue is None:
            continue
        proposals.append(
            Proposal(cue, _span(item.get("source")), _span(item.get("content")), str(item["stance"]))
        )
    return proposals


def _overlap(first: Fragments | None, second: Fragments | None) -> int:
    if first is None or second is None:
        return 0
    return sum(
        max(0, min(a_end, b_end) - max(a_start, b_start))
        for a_start, a_end in first
        for b_start, b_end in second
    )


def match(gold: list[GoldRelation], proposals: list[Proposal]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, proposal index), the largest overlaps first."""
    candidates = []
    for g, relation in enumerate(gold):
        for p, proposal in enumerate(proposals):
            cue = _overlap(relation.cue, proposal.cue)
            if not cue:
                continue
            if relation.source is None and proposal.source is None:
                candidates.append((cue, g, p))
                continue
            source = _overlap(relation.source, proposal.source)
            if source:
                candidates.append((cue + source, g, p))
    candidates.sort(key=lambda candidate: -candidate[0])
    used_gold: set[int] = set()
    used_proposals: set[int] = set()
    pairs = []
    for _, g, p in candidates:
        if g in used_gold or p in used_proposals:
            continue
        used_gold.add(g)
        used_proposals.add(p)
        pairs.append((g, p))
    return pairs


def _tokens(text: str, fragments: Fragments | None) -> Counter[str]:
    if fragments is None:
        return Counter()
    return Counter(word.lower() for start, end in fragments for word in re.findall(r"\w+", text[start:end]))


def token_f1(text: str, gold: Fragments | None, proposed: Fragments | None) -> float:
    expected, found = _tokens(text, gold), _tokens(text, proposed)
    common = sum((expected & found).values())
    if not common:
        return 0.0
    precision = common / sum(found.values())
    recall = common / sum(expected.values())
    return 2 * precision * recall / (precision + recall)


@dataclass
class Miss:
    article: str
    relation: GoldRelation
    context: str


@dataclass
class Scores:
    proposals: int = 0
    gold: int = 0
    matched: int = 0
    speech: int = 0
    speech_found: int = 0
    sourced: int = 0
    sourced_found: int = 0
    content_pairs: int = 0
    content_f1_sum: float = 0.0
    stance_cues: int = 0
    stance_matched: int = 0
    stance_right: int = 0
    misses: list[Miss] = field(default_factory=list)
    false_positives: list[tuple[str, Proposal, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.proposals if self.proposals else 0.0

    @property
    def speech_recall(self) -> float:
        return self.speech_found / self.speech if self.speech else 0.0

    @property
    def sourced_recall(self) -> float:
        return self.sourced_found / self.sourced if self.sourced else 0.0

    @property
    def content_f1(self) -> float:
        return self.content_f1_sum / self.content_pairs if self.content_pairs else 0.0

    @property
    def stance_accuracy(self) -> float:
        return self.stance_right / self.stance_matched if self.stance_matched else 0.0


def score(
    texts: Mapping[str, str], gold: Mapping[str, list[GoldRelation]], proposed: Mapping[str, list[Proposal]]
) -> Scores:
    scores = Scores()
    for name, relations in gold.items():
        text = texts[name]
        proposals = proposed.get(name, [])
        pairs = match(relations, proposals)
        matched_gold = dict(pairs)
        scores.proposals += len(proposals)
        scores.gold += len(relations)
        scores.matched += len(pairs)
        for g, relation in enumerate(relations):
            found = g in matched_gold
            if relation.speech:
                scores.speech += 1
                scores.speech_found += found
                if not found:
                    start = relation.cue[0][0]
                    scores.misses.append(Miss(name, relation, text[max(0, start - 120) : start + 60]))
            if relation.source is not None:
                scores.sourced += 1
                scores.sourced_found += found
            if relation.stance is not None:
                scores.stance_cues += 1
            if not found:
                continue
            proposal = proposals[matched_gold[g]]
            if relation.content is not None:
                scores.content_pairs += 1
                scores.content_f1_sum += token_f1(text, relation.content, proposal.content)
            if relation.stance is not None:
                scores.stance_matched += 1
                scores.stance_right += proposal.stance == relation.stance
        matched_proposals = {p for _, p in pairs}
        for p, proposal in enumerate(proposals):
            if p not in matched_proposals:
                start = proposal.cue[0][0]
                scores.false_positives.append((name, proposal, text[max(0, start - 120) : start + 60]))
    return scores

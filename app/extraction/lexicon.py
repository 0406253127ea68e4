"""The words the rules look for: reporting verbs and the stance each one carries, the phrases of refusal and
non-confirmation, the words that may stand between a speaker and the verb, and the media."""

import re

from app.vocabulary import Stance


def word_set(*lines: str) -> frozenset[str]:
    """The words of a few lines of text, as a set."""
    return frozenset(" ".join(lines).split())


SPEECH_VERBS: dict[str, tuple[tuple[str, ...], Stance]] = {
    "say": (("said", "says", "say", "saying"), Stance.ASSERTED),
    "tell": (("told", "tells", "tell", "telling"), Stance.ASSERTED),
    "add": (("added", "adds", "adding"), Stance.ASSERTED),
    "note": (("noted", "notes", "noting"), Stance.ASSERTED),
    "write": (("wrote", "writes", "writing"), Stance.ASSERTED),
    "report": (("reported", "reports", "reporting"), Stance.ASSERTED),
    "announce": (("announced", "announces", "announcing"), Stance.ASSERTED),
    "claim": (("claimed", "claims", "claiming"), Stance.ASSERTED),
    "state": (("stated",), Stance.ASSERTED),
    "explain": (("explained", "explains", "explaining"), Stance.ASSERTED),
    "insist": (("insisted", "insists", "insisting", "insist"), Stance.ASSERTED),
    "argue": (("argued", "argues", "arguing", "argue"), Stance.ASSERTED),
    "warn": (("warned", "warns", "warning", "warn"), Stance.ASSERTED),
    "declare": (("declared", "declares"), Stance.ASSERTED),
    "tweet": (("tweeted", "tweets", "tweeting"), Stance.ASSERTED),
    "predict": (("predicted", "predicts", "predicting"), Stance.ASSERTED),
    "recall": (("recalled", "recalls"), Stance.ASSERTED),
    "ask": (("asked", "asks"), Stance.ASSERTED),
    "cite": (("cited", "cites", "citing"), Stance.ASSERTED),
    "mention": (("mentioned", "mentions"), Stance.ASSERTED),
    "continue": (("continued", "continues"), Stance.ASSERTED),
    "joke": (("joked", "jokes"), Stance.ASSERTED),
    "quip": (("quipped",), Stance.ASSERTED),
    "reply": (("replied", "replies"), Stance.ASSERTED),
    "respond": (("responded",), Stance.ASSERTED),
    "complain": (("complained", "complains"), Stance.ASSERTED),
    "stress": (("stressed", "stresses", "stressing"), Stance.ASSERTED),
    "emphasize": (("emphasized", "emphasised", "emphasizes", "emphasizing"), Stance.ASSERTED),
    "suggest": (("suggested", "suggests", "suggest", "suggesting"), Stance.ASSERTED),
    "contend": (("contended", "contends"), Stance.ASSERTED),
    "allege": (("alleged", "alleges"), Stance.ASSERTED),
    "assert": (("asserted", "asserts", "asserting"), Stance.ASSERTED),
    "blame": (("blamed", "blames", "blame"), Stance.ASSERTED),
    "conclude": (("concluded", "concludes"), Stance.ASSERTED),
    "caution": (("cautioned", "cautions"), Stance.ASSERTED),
    "vow": (("vowed", "vows"), Stance.ASSERTED),
    "promise": (("promised", "promises"), Stance.ASSERTED),
    "pledge": (("pledged", "pledges"), Stance.ASSERTED),
    "describe": (("described", "describes"), Stance.ASSERTED),
    "believe": (("believe", "believes"), Stance.ASSERTED),
    "acknowledge": (("acknowledged", "acknowledges", "acknowledging", "acknowledge"), Stance.CONFIRMED),
    "admit": (("admitted", "admits", "admitting", "admit"), Stance.CONFIRMED),
    "concede": (("conceded", "concedes"), Stance.CONFIRMED),
    "confirm": (("confirmed", "confirms", "confirming", "confirm"), Stance.CONFIRMED),
    "deny": (("denied", "denies", "denying", "deny"), Stance.DENIED),
    "reject": (("rejected", "rejects", "rejecting"), Stance.DENIED),
    "dismiss": (("dismissed", "dismisses"), Stance.DENIED),
    "dispute": (("disputed", "disputes"), Stance.DISPUTED),
}
"""Reporting verbs by lemma: the forms the rules match (in lower case, mid-sentence) and the stance."""

VERB_FORMS: dict[str, tuple[str, Stance]] = {
    form: (lemma, stance) for lemma, (forms, stance) in SPEECH_VERBS.items() for form in forms
}

AFTER_QUOTATION_ONLY = frozenset({"ask", "continue", "joke", "quip"})
"""Verbs that report speech only after a quotation: `"Why?" he asked.`, not `he asked for a recount`."""

HEADLINE_FORMS = {"Says": "says", "Said": "said"}
"""Title-case forms: `Mayor Says Bridge Will Reopen ...`."""

PARTICIPLES = frozenset(
    {
        "saying",
        "adding",
        "noting",
        "arguing",
        "warning",
        "claiming",
        "insisting",
        "telling",
        "tweeting",
        "citing",
        "asserting",
        "emphasizing",
        "stressing",
        "explaining",
    }
)
"""Forms that follow a clause whose subject is the speaker: "Peskov continued, saying ..."."""

NEEDS_ADDRESSEE = frozenset({"tell"})

PRESENT_PLURAL = frozenset(
    {
        "say",
        "tell",
        "suggest",
        "blame",
        "believe",
        "insist",
        "argue",
        "warn",
        "acknowledge",
        "admit",
        "confirm",
        "deny",
    }
)
"""Bare forms that are only a reporting verb after a plural speaker ("officials say")."""

_NEGATION = r"(?:not|n't|never)"

NON_CONFIRMATION = re.compile(
    r"\b(?:could|can|would|did|do|does|was|were|is|are|has|have|had)\s*(?:not|n't|never)\s+"
    r"(?:yet\s+|immediately\s+|independently\s+|officially\s+|(?:been\s+)?able\s+to\s+)*"
    r"(?:confirm(?:ed)?|verif(?:y|ied))(?:\s+(?:or|nor)\s+deny)?\b"
    r"|\b(?:unable|not\s+able)\s+to\s+(?:independently\s+)?(?:confirm|verify)(?:\s+(?:or|nor)\s+deny)?\b"
    r"|\bcannot\s+(?:independently\s+)?(?:confirm|verify)(?:\s+(?:or|nor)\s+deny)?\b"
    r"|\b(?:neither|nor)\s+\"?(?:confirm|confirmed)\s+(?:nor|or)\s+\"?deny\b"
    r"|\b(?:does|do|did)\s*\"?\s*(?:not|n't)\s+have\s+(?:this|that|any|such|the)\s+information\b"
    r"|\bnot\s+have\s+(?:this|that|any|such|the)\s+information\b"
    r"|\bcould\s*(?:not|n't)\s+be\s+(?:independently\s+)?(?:confirmed|verified)\b",
    re.IGNORECASE,
)
"""Could not verify: the speaker neither confirms nor denies, or says it does not know."""

_DECLINED_COMPLEMENT = (
    r"(?:comment|say|discuss|elaborate|answer|respond|disclose|specify|provide|give|address|talk|speak|"
    r"reveal|identify|release|confirm|be\s+interviewed)"
)
REFUSAL = re.compile(
    r"\b(?:declined|declines|decline|declining|refused|refuses|refuse|refusing)\s+"
    + rf"(?:to\s+(?:immediately\s+|publicly\s+|further\s+)?{_DECLINED_COMPLEMENT}\b|comment\b|requests?\b)"
    r"|\b(?:did|does|do|has|have|had)\s*(?:not|n't)\s+(?:yet\s+|immediately\s+|officially\s+|publicly\s+)*"
    r"(?:respond(?:ed)?|repl(?:y|ied)|comment(?:ed)?|(?=(?:return|answer)\w*\s+\S*\s*(?:\w+'s\s+)?(?:requests?|calls?|messages?|emails?|e-mails?|inquir|questions?)))"
    r"(?:return(?:ed)?|answer(?:ed)?)?"
    r"(?:\s+(?:to\s+)?(?:a\s+|an\s+|the\s+|multiple\s+|repeated\s+|several\s+|our\s+|\w+'s\s+)*"
    r"(?:requests?|calls?|messages?|emails?|e-mails?|inquir(?:y|ies)|questions?)"
    r"(?:\s+(?:for|seeking)\s+comments?)?)?"
    r"|\b(?:could|can)\s*(?:not|n't)\s+be\s+reached(?:\s+for\s+comments?)?"
    r"|\b(?:was|were|is|are)\s*(?:not|n't)\s+(?:immediately\s+)?available\s+for\s+comments?"
    r"|\b(?:did|has|have)\s*(?:not|n't)\s+(?:yet\s+|immediately\s+)*claim(?:ed)?\s+responsibility",
    re.IGNORECASE,
)
"""Declined to comment: a refusal, or no answer to a request."""

DENIAL = re.compile(r"\b(?:denied|denies|deny|rejected|rejects)\b", re.IGNORECASE)
CONFIRMATION = re.compile(r"\b(?:it\s+was|was|has\s+been|were)\s+confirmed\b", re.IGNORECASE)

CONTACTED_FOR_COMMENT = re.compile(
    r"\b(?:has\s+|have\s+|had\s+)?(?:contacted|reached\s+out\s+to)\s+"
    r"(?P<source>[A-Z][^.;,\"]{1,80}?)\s+for\s+(?:a\s+)?comments?\b"
)
"""`Newsweek has contacted X for comment`: at the time of writing, X had not answered."""

SOUGHT_COMMENT = re.compile(
    r"\s*(?:when|after)\s+(?P<source>(?:the\s+)?[A-Z][\w.' ]{1,60}?)\s+"
    r"(?:sought|requested|asked\s+for)\s+comments?\b"
)

SKIPPABLE_BEFORE_VERB = frozenset(
    [
        "has",
        "have",
        "had",
        "also",
        "previously",
        "later",
        "again",
        "repeatedly",
        "recently",
        "publicly",
        "reportedly",
        "then",
        "first",
        "once",
        "often",
        "earlier",
        "further",
        "privately",
        "separately",
        "subsequently",
        "initially",
        "already",
        "still",
        "originally",
        "just",
        "now",
    ]
)
"""Words that may stand between a speaker and the verb: "Peskov has also said"."""

WEEKDAYS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tonight",
    ]
)

LEADING_CONNECTIVES = frozenset(
    [
        "but",
        "and",
        "so",
        "yet",
        "still",
        "meanwhile",
        "however",
        "also",
        "now",
        "later",
        "earlier",
        "instead",
        "then",
        "thus",
        "indeed",
        "while",
        "when",
        "as",
        "since",
        "because",
        "after",
        "before",
        "if",
        "although",
        "though",
        "whereas",
        "until",
        "once",
        "where",
    ]
)

CLAUSE_WORDS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "because",
        "if",
        "when",
        "while",
        "although",
        "though",
        "since",
        "after",
        "before",
        "where",
    ]
)
"""Words that end a speaker noun phrase, read backwards from the verb."""

PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "thing", "we": "group", "i": "person"}

DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "some",
        "many",
        "several",
        "most",
        "few",
        "both",
        "other",
        "another",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "this",
        "that",
        "these",
        "those",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "all",
        "any",
        "each",
        "every",
        "such",
    ]
)

TITLE_WORDS = frozenset(
    [
        "president",
        "minister",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "spokespeople",
        "governor",
        "mayor",
        "secretary",
        "chancellor",
        "premier",
        "senator",
        "congressman",
        "congresswoman",
        "representative",
        "ambassador",
        "chief",
        "director",
        "head",
        "leader",
        "commander",
        "general",
        "reporter",
        "correspondent",
        "analyst",
        "editor",
        "chairman",
        "chairwoman",
        "chair",
        "speaker",
        "king",
        "queen",
        "prince",
        "pope",
        "prosecutor",
        "judge",
        "attorney",
        "sheriff",
        "official",
        "officer",
        "adviser",
        "advisor",
        "aide",
        "manager",
        "founder",
        "ceo",
        "candidate",
        "nominee",
        "envoy",
        "diplomat",
        "deputy",
        "lawmaker",
        "campaign",
        "professor",
        "economist",
        "columnist",
    ]
)

MEDIUM = re.compile(
    r"\b(?:in|on|via|during|through|at)\s+(?:a\s+|an\s+|the\s+|his\s+|her\s+|their\s+|its\s+)?"
    r"(?P<medium>(?:[\w-]+\s+){0,3}?(?:post|statement|interview|address|tweet|speech|video|briefing|"
    r"conference|op-ed|letter|email|broadcast|podcast|message|blog|column|network|channel|account|"
    r"appearance|rally|debate|hearing|memo|release|announcement|program|programme|show|page|site|"
    r"website)s?)\b"
    r"|\bon\s+(?:the\s+)?(?P<platform>Twitter|Facebook|Telegram|Instagram|VKontakte|TikTok|YouTube|"
    r"television|TV|radio|X)\b"
)

ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.IGNORECASE)

DOUBT = re.compile(
    r"\b(?:expressed|expresses|voiced|voices|raised|raises)\s+(?:\w+\s+)?(?:skepticism|scepticism|doubts?)\b"
    r"|\b(?:has|have|had|was|were|is|are)\s+(?:also\s+|long\s+)?(?:been\s+)?(?:skeptical|sceptical|doubtful)\b"
    r"|\bcast(?:s|ing)?\s+doubts?\s+on\b"
)
"""Disputed: the speaker doubts what others say, without denying it."""

STANCE_PHRASES: tuple[tuple[re.Pattern[str], Stance], ...] = (
    (NON_CONFIRMATION, Stance.COULD_NOT_VERIFY),
    (REFUSAL, Stance.DECLINED_TO_COMMENT),
    (DOUBT, Stance.DISPUTED),
)
"""Phrases that make a statement of their own: checked in this order, the first one found wins."""

NEGATED = re.compile(rf"\b(?:did|does|do|has|have|had|would|will|could)\s*{_NEGATION}\s*$", re.IGNORECASE)
"""A verb right after these is negated: "did not say" is not a statement."""

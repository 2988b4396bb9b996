"""Which port a contact's reply takes at a wait-for-reply step: keywords, a number, a pattern or an intent.

Keywords compare accent- and case-insensitively, and a keyword of the yes or no family brings its French and
English synonyms (``oui`` also matches ``yes``, ``ok``, ``y``...). Patterns are length-limited and refused
when they nest quantifiers (the shapes that backtrack without end), and they only ever see the first
``MAX_MATCHED_TEXT`` characters of a reply, so no reply can make the engine spin.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_PATTERN = 200
MAX_MATCHED_TEXT = 500
NO_MATCH = "no_match"
ANY_INTENT = "*"
TIMEOUT = "timeout"

YES = frozenset({"oui", "yes", "ok", "okay", "y", "o", "si", "yep", "ouais", "daccord", "d accord", "confirm"})
NO = frozenset({"non", "no", "n", "nope", "nan"})
FAMILIES = (YES, NO)
# A repeated group with a repeat or a choice inside: (a+)+, (\w*)*, (a|aa)+ ... (the shapes that backtrack
# exponentially); a group repeated a fixed number of times, or a choice used once, is fine.
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}|](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def fold(text: str) -> str:
    """Lowercase, no accents, punctuation as spaces, single spaces: ``"  Oui !"`` -> ``"oui"``."""
    plain = unicodedata.normalize("NFKD", text[:MAX_MATCHED_TEXT])
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower().replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def expand(keywords: Iterable[str]) -> set[str]:
    """The folded keywords with the synonyms of their yes/no family."""
    out: set[str] = set()
    for word in keywords:
        folded = fold(word)
        if not folded:
            continue
        out.add(folded)
        for family in FAMILIES:
            if folded in family:
                out |= family
    return out


def keyword_matches(keywords: Iterable[str], text: str) -> bool:
    """The whole reply, or its first word(s), is one of the keywords: "Oui merci" matches ``oui``."""
    folded = fold(text)
    if not folded:
        return False
    return any(folded == k or folded.startswith(k + " ") for k in expand(keywords))


def number_in(text: str) -> float | None:
    """The reply as a number (``3``, ``-2``, ``4,5``), or None when it is anything else."""
    stripped = text.strip()[:40]
    return float(stripped.replace(",", ".")) if _NUMBER.match(stripped) else None


def pattern_problem(pattern: str) -> str | None:
    """Why a pattern is refused, or None."""
    if len(pattern) > MAX_PATTERN:
        return f"pattern longer than {MAX_PATTERN} characters"
    if _NESTED.search(pattern):
        return "nested quantifiers such as (a+)+ or (a|aa)+ can make matching never end"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"invalid regular expression: {exc}"
    return None


def pattern_matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text[:MAX_MATCHED_TEXT], re.IGNORECASE) is not None


@dataclass(frozen=True)
class RuleView:
    """What matching needs of a rule (the node config's rules satisfy it)."""

    port: str
    kind: str
    keywords: Sequence[str] = ()
    min: float | None = None
    max: float | None = None
    pattern: str = ""
    intent: str = ""


def rule_matches(rule: RuleView, text: str, intent: str | None) -> bool:
    if rule.kind == "keyword":
        return keyword_matches(rule.keywords, text)
    if rule.kind == "number":
        value = number_in(text)
        low_ok = rule.min is None or (value is not None and value >= rule.min)
        high_ok = rule.max is None or (value is not None and value <= rule.max)
        return value is not None and low_ok and high_ok
    if rule.kind == "regex":
        return bool(rule.pattern) and pattern_matches(rule.pattern, text)
    if rule.kind == "intent":  # "*": any intent the FAQ knowledge base recognised
        return bool(intent) and (rule.intent.strip() == ANY_INTENT or fold(str(intent)) == fold(rule.intent))
    return False


def port_for(rules: Sequence[RuleView], text: str, intent: str | None = None) -> str:
    """The port of the first rule the reply matches, else ``no_match``."""
    for rule in rules:
        if rule_matches(rule, text, intent):
            return rule.port
    return NO_MATCH

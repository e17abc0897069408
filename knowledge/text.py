"""Text folding shared by the knowledge loader (alias uniqueness) and the answer engine (matching).

fold() lower-cases, unifies unicode dashes and spaces, and joins domain tokens that generic
processing would split ("Ki-67" -> "ki67", "Lu-177" -> "lu177", "5-FU" -> "5fu", "MEN-1" -> "men1");
slang signs become words ("SSTR +ve" -> "sstr positive", "-ve" -> "negative").
tokens() then splits on anything that is not a letter or digit, keeping decimals ("8.5").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u3000"), " ")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

_DOMAIN_TOKENS = [
    (re.compile(r"\bki\s*-?\s*67\b|\bmib\s*-?\s*1\b"), "ki67"),
    (re.compile(r"\b(?:ga\s*-?\s*68|68\s*-?\s*ga)\b"), "ga68"),
    (re.compile(r"\b(?:lu\s*-?\s*177|177\s*-?\s*lu)\b"), "lu177"),
    (re.compile(r"\b5\s*-?\s*fu\b"), "5fu"),
    (re.compile(r"\bmen\s*-?\s*(?:1|i)\b|\bmen\s*type\s*(?:1|i)\b"), "men1"),
    # "LN+", "+ve", "FDG +ve" (one space before the word, not two); not "MRI + PET"
    (re.compile(r" ?\+\s*ve\b|(?<=\w)\+(?=\s|$|[,.;)\"'])"), " positive"),
    (re.compile(r" ?(?<![a-z0-9])-\s*ve\b|(?<=[a-z])-ve\b"), " negative"),
    (re.compile(r"\bf/u\b"), "follow-up"),
    (re.compile(r"\bdz\b"), "disease"),  # "no extrahep dz on Ga68"
    (re.compile(r"\bw/(?=\s|$)"), "with "),
    (re.compile(r"\bw/o\b"), "without"),
    (re.compile(r"(?<=\d)\s*[×\*]\s*(?=\d)"), " x "),
]
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")


def lower_first(text: str) -> str:
    """'Lanreotide' -> 'lanreotide', mid-sentence, but 'PRRT' and 'FDA' stay."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def fold(text: str) -> str:
    """Lower-case, NFKC, unicode dashes to '-', invisible characters out, domain tokens joined."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES).translate(_SPACES)
    if not text.isprintable():  # the common case skips the character-by-character pass (start-up folds ~2,700)
        text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    text = text.lower()
    for pattern, repl in _DOMAIN_TOKENS:
        text = pattern.sub(repl, text)
    return text


_UNFOLD = {
    "positive": r"(?:positive|\+\s*(?:ve)?)",
    "negative": r"(?:negative|-\s*ve)",
    "ki67": r"(?:ki\s*-?\s*67|mib\s*-?\s*1)",
    "disease": r"(?:disease|dz)",
}


def unfold(original: str, folded: str) -> str:
    """The words of `original` that folded to `folded` (a fragment of fold(original)), as the user wrote
    them ("K+ 2.4" for "k positive 2.4"); the folded words when they cannot be found."""
    toks = tokens(folded)
    if not toks:
        return folded
    parts = [_UNFOLD.get(t, re.escape(t)) for t in toks]
    original = unicodedata.normalize("NFKC", original)
    m = re.search(r"[<>~≤≥+]?\s*" + r"[^a-z0-9]*?".join(parts) + r"(?:\s*[%+]+)?", original, re.I)
    return m.group(0).strip() if m else folded


def tokens(text: str) -> list[str]:
    """Tokens of already folded text."""
    return _TOKEN.findall(text)


@lru_cache(maxsize=8192)
def alias_key(alias: str) -> tuple[str, ...]:
    """The token sequence an alias matches. Cached: it is called with knowledge strings only, never user text."""
    return tuple(tokens(fold(alias)))

"""SMART actions: spotting one too vague to act on, and a short title for each."""

import re

# Sefton guide s.3.1 (seed 001): "be specific ... avoid statements like 'update case summary'".
ADVICE = (
    'This action may be too vague to act on. Be specific: for example, not "update case summary" but '
    '"update the case summary with who to contact in an emergency, who has parental responsibility and the '
    'contacts of every professional in the core group".'
)
MIN_WORDS = 8
# A bare phrase with only a few words after it ("update the chronology as soon as possible") says no more.
EXTRA_WORDS = 5
BARE_PHRASES = [
    r"update (the )?case summary",
    r"update (the )?chronology",
    r"update (the )?genogram",
    r"review (the )?plan",
    r"update (the )?(assessment|plan|records?)",
    r"complete (the )?(assessment|direct work)",
]
_BARE = re.compile(r"^\s*(?:" + "|".join(BARE_PHRASES) + r")\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


def words(text):
    return re.findall(r"[\w'-]+", text)


def is_vague(what):
    """True if the action is too short to say what must happen, or is little more than a bare phrase."""
    bare = _BARE.match(what)
    return len(words(what)) < MIN_WORDS or (bare is not None and len(words(bare["rest"])) <= EXTRA_WORDS)


# A sentence ends at . ! or ? before a capital, so "e.g. the school" stays in one piece.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# Where a clause ends: a semicolon, a colon, a comma or a spaced dash.
_CLAUSE_END = re.compile(r"[;:,]\s|\s[-–—]\s")
# A first "sentence" shorter than this ("Urgent.", "1.") says too little to be a title alone.
TITLE_MIN_WORDS = 3
ELLIPSIS = "…"


def _first_sentence(text):
    sentences = _SENTENCE_END.split(text)
    sentence = sentences.pop(0)
    while sentences and len(words(sentence)) < TITLE_MIN_WORDS:
        sentence += " " + sentences.pop(0)
    return sentence.rstrip(".") or sentence


def short_title(what, limit=60):
    """A title for the action: its first sentence, cut at a clause or word to at most `limit` characters."""
    sentence = _first_sentence(" ".join(what.split()))
    if len(sentence) <= limit:
        return sentence
    room = limit - len(ELLIPSIS)
    start = sentence[: room + 1]
    # Prefer the end of a clause, then the end of a word, so long as either keeps at least half the room.
    clauses = [match.start() for match in _CLAUSE_END.finditer(start) if match.start() >= room // 2]
    cut = clauses[-1] if clauses else start.rfind(" ")
    if cut < room // 2:
        cut = room
    return sentence[:cut].rstrip(" ,;:-–—") + ELLIPSIS

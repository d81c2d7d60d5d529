"""SMART actions: spotting one too vague to act on."""

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

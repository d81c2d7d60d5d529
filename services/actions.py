"""SMART actions: spotting one too vague to act on."""

import re

# Sefton guide s.3.1 (seed 001): "be specific ... avoid statements like 'update case summary'".
ADVICE = (
    'This action may be too vague to act on. Be specific: for example, not "update case summary" but '
    '"update the case summary with who to contact in an emergency, who has parental responsibility and the '
    'contacts of every professional in the core group".'
)
MIN_WORDS = 8
BARE_PHRASES = [
    r"update (the )?case summary",
    r"update (the )?chronology",
    r"update (the )?genogram",
    r"review (the )?plan",
    r"update (the )?(assessment|plan|records?)",
    r"complete (the )?(assessment|direct work)",
]
_BARE = re.compile(r"^\s*(?:" + "|".join(BARE_PHRASES) + r")[\s.!]*$", re.IGNORECASE)


def is_vague(what):
    """True if the action is a bare phrase or too short to say what must happen."""
    words = re.findall(r"[\w'-]+", what)
    return bool(_BARE.match(what)) or len(words) < MIN_WORDS

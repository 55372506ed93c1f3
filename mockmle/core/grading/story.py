"""Behavioural answers: did the candidate tell what happened, or what they would do?

"Tell me about a time..." asks for a story. An answer told only in the conditional ("I would
listen first, then I'd propose a test") with no first-person past action is a hypothetical: it
says how the candidate imagines behaving, which is what the question is designed to get past.
The check is narrow on purpose: one past action ("I proposed", "we shipped", "I took it on
board") is enough to count as a story.
"""

from __future__ import annotations

import re

# compiled (by re, which keeps them) when first needed: only behavioural questions ask for a story
_CONDITIONAL = r"\b(?:i|we|you|one)\s*(?:would|'d|will|'ll|should|could|might|can)\b(?!\s*(?:n't|not|never)\b)"
_IRREGULAR_PAST = (
    "built wrote ran took made led found sent spent kept told held chose got gave saw went met set put cut did "
    "began brought thought taught felt left lost paid said sold stood won understood spoke drove broke knew grew "
    "drew threw sat became caught fought sought dealt meant rang rose shook slept struck swore tore woke")
_PAST_ACTION = (r"\b(?:i|we)\s+(?:\w+ly\s+|then\s+|also\s+|just\s+|first\s+|finally\s+|eventually\s+|still\s+|even\s+)?"
                rf"(?:\w+ed|{'|'.join(_IRREGULAR_PAST.split())})\b")
MIN_CONDITIONALS = 2
HYPOTHETICAL_CHECK = "tells-what-happened"


def hypothetical(answer: str) -> str | None:
    """The first conditional phrase when the answer is told only as what the candidate would do, else None."""
    found = [m.group(0) for m in re.finditer(_CONDITIONAL, answer.replace("\u2019", "'"), re.IGNORECASE)]
    if len(found) < MIN_CONDITIONALS or re.search(_PAST_ACTION, answer, re.IGNORECASE):
        return None
    return found[0]

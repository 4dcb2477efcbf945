"""Template text repeated in every agenda pack, which search should leave out."""

from __future__ import annotations

import re

# Each pattern is a phrase that only occurs in the standing templates of a pack:
# the accessibility notice, the declarations-of-interest guidance, the filming
# protocol, the public-question rules and the contact footer of reports.
_PATTERNS = [
    r"large print, audio, braille",
    r"disclosable pecuniary interest",
    r"in either case you may remain in the room",
    r"if that is the case then you must declare such an interest",
    r"other interest\W* in a matter to be (?:discussed|considered)",
    r"protocol on the use of media equipment",
    r"requested to turn off mobile phones",
    r"if you have any questions about matters contained",
    r"compliments and complaints",
    r"your well ?being or financial position",
    r"that of your family or close friends",
    r"that of a club or society in which you have a management role",
    r"that of another public body of which you are a member",
    r"^\W*any body\W*$",
    r"exercising functions of a public nature",
    r"directed to charitable purposes",
    r"one of whose principal purposes includes the influence",
    r"of which you are in a position of general control",
    r"fifteen minutes for (?:questions from members of the public|local members? to raise)",
    r"all questions must be received by the committee team",
    r"for guidance on submitting a public question",
    r"for further details and general enquiries about this agenda",
    r"please contact the committee (?:officer|administrator)",
]
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I | re.M)


def is_boilerplate_line(line: str) -> bool:
    """True if the line belongs to a standing template."""
    return bool(_BOILERPLATE.search(line))


def is_boilerplate_block(lines: list[str]) -> bool:
    """True if most non-blank lines of a block are template lines."""
    content = [line for line in lines if line.strip()]
    if not content:
        return False
    hits = sum(1 for line in content if is_boilerplate_line(line))
    return hits * 5 >= len(content) * 3

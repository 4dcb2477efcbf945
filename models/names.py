"""People's names as papers print them: titles and roles stripped, so mentions of one person compare equal."""

from __future__ import annotations

import re

# Titles that come before a name; police ranks appear in Health and Wellbeing Board lists.
NAME_TITLE = r"(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr|Prof|Professor|T/ACC|C/Sup)\.?"
_LEADING_TITLES = re.compile(rf"^(?:{NAME_TITLE}\s+)+", re.IGNORECASE)
# "(Chair)", "(Vice-Chair)", "(Chairman)" and the like after a name.
ROLE_IN_BRACKETS = re.compile(r"\s*\(([^()]*)\)\s*$")


def normalise_name(name: str) -> str:
    """Strips titles and a bracketed or dashed role, and collapses spaces.

    "Cllr Fabian Eagle (Vice-Chair)" -> "Fabian Eagle"; "Mr S Dark - Vice-Chairman" -> "S Dark".
    """
    name = " ".join(name.split())
    name = ROLE_IN_BRACKETS.sub("", name)
    name = re.split(r"\s[-–—]\s", name, maxsplit=1)[0]
    name = _LEADING_TITLES.sub("", name)
    return name.strip(" ,.;:")


def name_key(name: str) -> str:
    """What two mentions of one person share: the normalised name, case-folded."""
    return normalise_name(name).casefold()

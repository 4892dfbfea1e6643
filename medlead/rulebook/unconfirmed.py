"""What a page or PDF says beside a value it applied that is the national default the trust has not confirmed yet
(issue 30, ADR 0018): one plain sentence in the same words everywhere, "This rate is the national default; your trust
has not confirmed it yet." No Django: the rota engine and job planning's arithmetic build it too.

A page shows it with ``includes/unconfirmed.jinja`` (the sentence, and a link to the values awaiting confirmation
for those who may confirm them); a PDF prints it as text (``{{ notice }}``). It is empty, and false, when every value
the page used is verified from its source or confirmed by the trust."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable


def listed(names: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(names)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclasses.dataclass(frozen=True)
class Unconfirmed:
    """The values a page applied that await the trust's confirmation, and the sentence that says so."""

    what: str  # what the page calls the value, singular: "rate", "timetable", "check's timing"
    count: int = 0  # how many of the values the page applied await the trust's confirmation
    plural: str = ""  # what the page calls several: "rules' values" (else the singular is said of them together)
    names: tuple[str, ...] = ()  # which, in plain words, where the page names them

    @classmethod
    def named(cls, what: str, names: Iterable[str], plural: str = "") -> Unconfirmed:
        """From the plain names of the values awaiting confirmation (none: nothing to say)."""
        found = tuple(dict.fromkeys(names))
        return cls(what, len(found), plural, found)

    @property
    def sentence(self) -> str:
        if not self.count:
            return ""
        which = f" ({listed(self.names)})" if self.names else ""
        if self.count > 1 and self.plural:
            return f"These {self.plural}{which} are the national defaults; your trust has not confirmed them yet."
        return f"This {self.what}{which} is the national default; your trust has not confirmed it yet."

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return self.sentence


NOTHING = Unconfirmed("value")

"""Removing the page furniture news sites put around an article (share buttons, comment forms...).

The patterns live in ``boilerplate.json`` next to this module (curated, with its
schema inside).  A line goes only when the *whole* stripped line matches, so a
sentence that merely mentions Facebook or โฆษณา stays.  A related-posts or
comment heading in the second half of the article also removes everything
after it: those lists are other articles' headlines, not this one's text.
Removal happens before the :class:`Article` is made, so offsets refer to the
cleaned text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("boilerplate.json")
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


@dataclass(frozen=True, slots=True)
class Boilerplate:
    lines: re.Pattern[str]
    tail_headings: re.Pattern[str]

    def clean(self, text: str) -> str:
        """``text`` without boilerplate lines and without a trailing related-posts/comments block."""
        rows = text.split("\n")
        half = len(text) // 2
        kept: list[str] = []
        removed = False
        pos = 0
        for row in rows:
            stripped = row.strip()
            if stripped and pos >= half and self.tail_headings.fullmatch(stripped):
                removed = True
                break
            if stripped and self.lines.fullmatch(stripped):
                removed = True
            else:
                kept.append(row)
            pos += len(row) + 1
        if not removed:
            return text.strip()
        # A removed line leaves its blank neighbours behind: fold them to one blank line.
        return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()


def _alternation(entries: list[dict[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e['pattern']})" for e in entries), re.IGNORECASE)


@lru_cache(maxsize=1)
def boilerplate() -> Boilerplate:
    """The curated patterns, compiled once per process."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return Boilerplate(_alternation(data["lines"]), _alternation(data["tail_headings"]))


def clean(text: str) -> str:
    return boilerplate().clean(text)

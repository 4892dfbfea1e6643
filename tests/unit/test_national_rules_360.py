"""The 360 anonymity regression table (docs/national-rules/360-anonymity.md): every row's answers go through
medlead's report and every figure the row expects is checked, so the table a medical workforce lead reads is what
medlead does."""

from __future__ import annotations

import re

import pytest

from medlead.leadership.report import LABELS, LINE_MANAGER, SELF, Item, RaterAnswers, build
from tests.national_rules import TABLES, sections

TABLE = TABLES / "360-anonymity.md"
ITEMS = [Item(1, "Leading", "one"), Item(2, "Leading", "two"), Item(3, "Working together", "three")]
GROUPS = {
    "self": SELF,
    "line manager": LINE_MANAGER,
    "peer": "peer",
    "direct report": "direct_report",
    "other colleague": "other",
    "patient": "patient",
}
BY_LABEL = {label: key for key, label in LABELS.items()}


def rows() -> list[tuple[str, str, str, str]]:
    return [(r["Case"], r["Answers"], r["Expected"], r["Source"]) for r in sections("360-anonymity.md")[""]]


def raters(answers: str) -> list[RaterAnswers]:
    out = []
    for n, part in enumerate(answers.split(";")):
        match = re.fullmatch(r"\s*([a-z ]+?)(?: [A-Z])?((?: \d=\d)*)\s*", part)
        assert match, f"cannot read the rater {part!r}"
        scores = {int(i): (int(v), None) for i, v in re.findall(r"(\d)=(\d)", match.group(2))}
        out.append(RaterAnswers(n + 1, GROUPS[match.group(1)], scores))
    return out


def test_the_table_says_which_items_every_case_rates_and_has_the_issues_case() -> None:
    text = TABLE.read_text()
    assert "1 and 2 in the domain Leading, 3 in the domain Working\ntogether" in text
    assert len(rows()) >= 7
    assert sum(1 for case, *_ in rows() if "issue 30" in case) == 2


@pytest.mark.parametrize(("case", "answers", "expected", "source"), rows(), ids=[r[0][:50] for r in rows()])
def test_each_row_is_what_medlead_shows(case: str, answers: str, expected: str, source: str) -> None:
    assert source, "every case names its source"
    report = build(ITEMS, raters(answers))
    for part in expected.split(";"):
        part = part.strip()
        if part.startswith("shown:"):
            assert [g.label for g in report.groups] == [s.strip() for s in part[len("shown:") :].split(",")], case
            continue
        who, rest = part.split(",", 1)
        where, value = (s.strip() for s in rest.rsplit(":", 1))
        key = BY_LABEL[who.strip()]
        figures = report.item_means[int(where[5:])] if where.startswith("item ") else report.domain_means[where]
        want = None if value == "–" else float(value)
        assert figures.get(key) == want, (case, part)

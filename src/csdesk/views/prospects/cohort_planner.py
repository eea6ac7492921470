"""The cohort planner: the ticked pilot cohort against the SPEC 2.1 rules, met or not, by name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from csdesk.scoring.prospect import CohortCheck, fold_segment
from csdesk.scoring.vocabulary import SEGMENTS
from csdesk.services.prospects import ProspectRow
from csdesk.views.theme import color

__all__ = ["RULE_TITLES", "CohortPlanner"]

RULE_TITLES = {
    "size": "Size",
    "industries": "Industries",
    "small": "Small",
    "mid-market": "Mid-market",
    "enterprise": "Enterprise",
}
"""Display names of the cohort rules, in the order the check reports them."""

MAX_NAMES = 6


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    more = len(names) - MAX_NAMES
    return shown + (f" and {more} more" if more > 0 else "") if names else "—"


def _members(rows: Sequence[ProspectRow]) -> dict[str, str]:
    """Who counts towards each rule: segment members by name, the industries for industries."""
    ticked = [r for r in rows if r.in_cohort]
    members = {
        seg: _names([r.name for r in ticked if fold_segment(r.segment) == seg]) for seg in SEGMENTS
    }
    industries = sorted({" ".join(r.industry.split()) for r in ticked if r.industry}, key=str.lower)
    members["industries"] = _names(industries)
    members["size"] = ""
    return members


class CohortPlanner(QFrame):
    """The proposed pilot cohort: a summary line, then each rule with ✓ or ✗, its count and who.

    Clients are ticked into the cohort in the scorecard's Cohort column.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setAccessibleName("Cohort planner")
        title = QLabel("Pilot cohort")
        title.setObjectName("sectionTitle")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Cohort summary")
        self.rule_marks: dict[str, QLabel] = {}
        self.rule_labels: dict[str, QLabel] = {}
        self.rule_members: dict[str, QLabel] = {}
        rules = QGridLayout()
        rules.setHorizontalSpacing(12)
        rules.setVerticalSpacing(5)
        for line, (name, title_text) in enumerate(RULE_TITLES.items()):
            mark = QLabel()
            mark.setFixedWidth(16)
            label = QLabel(title_text)
            detail = QLabel()
            detail.setObjectName("muted")
            detail.setAccessibleName(f"Cohort rule {title_text}")
            who = QLabel()
            who.setWordWrap(True)
            who.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.rule_marks[name] = mark
            self.rule_labels[name] = detail
            self.rule_members[name] = who
            rules.addWidget(mark, line, 0, Qt.AlignmentFlag.AlignTop)
            rules.addWidget(label, line, 1, Qt.AlignmentFlag.AlignTop)
            rules.addWidget(detail, line, 2, Qt.AlignmentFlag.AlignTop)
            rules.addWidget(who, line, 3, Qt.AlignmentFlag.AlignTop)
        rules.setColumnStretch(3, 1)
        head = QVBoxLayout()
        head.setSpacing(2)
        head.addWidget(title)
        head.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addLayout(rules)
        layout.addStretch(1)
        self.check: CohortCheck | None = None

    def set_rows(self, rows: Sequence[ProspectRow], check: CohortCheck) -> None:
        """Show the check of the ticked rows, with who counts towards each rule."""
        self.check = check
        members = _members(rows)
        for rule in check.rules:
            mark = self.rule_marks.get(rule.name)
            if mark is None:
                continue
            mark.setText("✓" if rule.met else "✗")
            mark.setStyleSheet(f"color: {color('good' if rule.met else 'bad')}; font-weight: 700;")
            self.rule_labels[rule.name].setText(rule.detail)
            self.rule_members[rule.name].setText(members.get(rule.name, ""))
            state = "met" if rule.met else "unmet"
            mark.setAccessibleName(f"{RULE_TITLES[rule.name]} rule {state}")
        size = sum(1 for r in rows if r.in_cohort)
        clients = f"{size} client{'s' if size != 1 else ''} ticked"
        if check.ok:
            self.summary.setText(f"{clients} · ✓ the cohort meets every rule")
            self.summary.setStyleSheet(f"color: {color('good')}; font-weight: 600;")
        else:
            names = ", ".join(RULE_TITLES.get(n, n).lower() for n in check.unmet)
            count = len(check.unmet)
            self.summary.setText(
                f"{clients} · {count} rule{'s' if count != 1 else ''} unmet: {names}"
            )
            self.summary.setStyleSheet(f"color: {color('bad')}; font-weight: 600;")

    def is_met(self, name: str) -> bool | None:
        """Whether a rule is met in the check shown (None before any check)."""
        if self.check is None:
            return None
        return next((r.met for r in self.check.rules if r.name == name), None)

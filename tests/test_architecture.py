"""The code's shape: one vocabulary (no literal copies in src/), and no import circles."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

from csdesk.importing.headers import KIND_FIELDS
from csdesk.models import Account, RoiInput
from csdesk.scoring import vocabulary as v
from csdesk.scoring.catalog import DEFAULT_PLAN_NAMES
from csdesk.scoring.kpis import SLA_TARGETS
from csdesk.scoring.prospect import CRITERION_KEYS

SRC = Path(__file__).resolve().parents[1] / "src" / "csdesk"

ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "STATUSES": v.STATUSES,
    "CUSTOMER_STATUSES": v.CUSTOMER_STATUSES,
    "SEGMENTS": v.SEGMENTS,
    "PRIORITIES": v.PRIORITIES,
    "TASK_TYPES": v.TASK_TYPES,
    "TASK_STATUSES": v.TASK_STATUSES,
    "NOT_DONE_STATUSES": v.NOT_DONE_STATUSES,
    "IMPORT_KINDS": v.IMPORT_KINDS,
    "ROI_KEYS": v.ROI_KEYS,
    "ACCOUNT_FIELD_NAMES": v.ACCOUNT_FIELD_NAMES,
    "DEFAULT_PLAN_NAMES": DEFAULT_PLAN_NAMES,
    "CRITERION_KEYS": CRITERION_KEYS,
}
"""Every enumeration and field list, by the name to import instead of copying it."""

FIELD_LISTS = {"ROI_KEYS": v.ROI_KEYS, "ACCOUNT_FIELD_NAMES": v.ACCOUNT_FIELD_NAMES}
"""Field lists, also caught as the keys of a dict literal (a table of labels or types)."""


def _strings(node: ast.AST) -> set[str] | None:
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        elements: list[ast.expr | None] = list(node.elts)
    elif isinstance(node, ast.Dict):
        elements = list(node.keys)
    else:
        return None
    if len(elements) < 2:
        return None
    if not all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elements):
        return None
    return {e.value for e in elements if isinstance(e, ast.Constant)}


def literal_copies(source: str, where: str) -> list[str]:
    """``where:line: NAME`` for each literal in ``source`` that copies a vocabulary list.

    A tuple, list or set of strings equal (in any order) to an enumeration is a copy, and so is
    one holding every account field; a dict is one when its keys are exactly a field list (a
    table of labels or cell types). Tables with more keys than the fields (the importer's
    header spellings, with ``as_of``) hold knowledge of their own and are left alone.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        values = _strings(node)
        if values is None:
            continue
        is_dict = isinstance(node, ast.Dict)
        names = FIELD_LISTS if is_dict else ENUMERATIONS
        for name, words in names.items():
            whole = not is_dict and name == "ACCOUNT_FIELD_NAMES" and values >= set(words)
            if values == set(words) or whole:
                found.append(f"{where}:{getattr(node, 'lineno', 0)}: {name}")
    return found


def test_no_literal_copy_of_the_vocabulary_in_src() -> None:
    copies = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if relative.parts[0] == "migrations" or relative == Path("scoring/vocabulary.py"):
            continue  # migrations record the schema as it was; the vocabulary is the original
        copies += literal_copies(path.read_text(encoding="utf-8"), str(relative))
    assert copies == [], "import these from csdesk.scoring.vocabulary instead:\n" + "\n".join(
        copies
    )


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ('X = ("churned", "active", "pilot", "prospect")', "STATUSES"),
        ('Account.status.in_(["pilot", "active"])', "CUSTOMER_STATUSES"),
        ('OPEN = {"snoozed", "open"}', "NOT_DONE_STATUSES"),
        (
            'LABELS = {"hourly_rate": 1, "incidents_avoided_per_year": 2, "cost_per_incident": 3,'
            ' "revenue_protected": 4}',
            "ROI_KEYS",
        ),
        (
            "FIELDS = (" + ", ".join(f'"{f}"' for f in (*v.ACCOUNT_FIELD_NAMES, "as_of")) + ")",
            "ACCOUNT_FIELD_NAMES",
        ),
    ],
)
def test_the_copy_check_catches_a_copy(source: str, caught: str) -> None:
    assert literal_copies(source, "x.py") == [f"x.py:1: {caught}"]


def test_the_copy_check_leaves_other_literals_alone() -> None:
    assert literal_copies('X = ("active", "churned")\nY = {"P0": 1, "P1": 2, "P2": 3}', "x") == []


def test_the_vocabulary_agrees_with_the_tables_and_the_importer() -> None:
    columns = set(Account.__table__.columns.keys())
    assert set(v.ACCOUNT_FIELD_NAMES) <= columns
    assert set(v.ROI_KEYS) <= set(RoiInput.__table__.columns.keys())
    assert v.ACCOUNT_FIELD_NAMES[:2] == ("crm_id", "name")  # the import's matcher relies on it
    stated = {field.name for field in v.STATED_OUTCOME_FIELDS}
    assert set(KIND_FIELDS["accounts"]) == {*v.ACCOUNT_FIELD_NAMES, "as_of", *stated}
    assert not stated & columns  # recorded as renewal outcomes, never stored on the account
    assert set(v.CUSTOMER_STATUSES) < set(v.STATUSES)
    assert set(v.NOT_DONE_STATUSES) < set(v.TASK_STATUSES)
    assert tuple(SLA_TARGETS) == v.PRIORITIES
    assert len(set(v.ACCOUNT_FIELD_LABELS.values())) == len(v.ACCOUNT_FIELDS)


def test_no_import_circles() -> None:
    graph = grimp.build_graph("csdesk")
    circles = sorted(
        f"{module} <-> {imported}"
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if module < imported and graph.chain_exists(importer=imported, imported=module)
    )
    assert circles == []

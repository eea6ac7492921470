"""The open tasks of a portfolio, oldest due first (``csdesk tasks``, SPEC 5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from csdesk.db import Portfolio
from csdesk.models import Account, Task
from csdesk.scoring.vocabulary import NOT_DONE_STATUSES

__all__ = ["format_tasks", "open_tasks"]


def open_tasks(
    portfolio: Portfolio, *, today: dt.date | None = None, overdue_only: bool = False
) -> list[dict[str, Any]]:
    """Every task still to do (open or snoozed), oldest due first.

    Args:
        portfolio: The open portfolio.
        today: The day a task is overdue after (default: today).
        overdue_only: Only tasks due before today.

    Returns:
        One ``{account, crm_id, type, title, due (ISO), status, overdue}`` per task.
    """
    today = today or dt.date.today()
    query = (
        select(Account.name, Account.crm_id, Task.type, Task.title, Task.due_on, Task.status)
        .join(Account, Account.id == Task.account_id)
        .where(Task.status.in_(NOT_DONE_STATUSES))
    )
    if overdue_only:
        query = query.where(Task.due_on < today)
    with portfolio.read() as session:
        rows = session.execute(query.order_by(Task.due_on, Account.name_key, Task.id)).all()
    return [
        {
            "account": row.name,
            "crm_id": row.crm_id,
            "type": row.type,
            "title": row.title,
            "due": row.due_on.isoformat(),
            "status": row.status,
            "overdue": row.due_on < today,
        }
        for row in rows
    ]


def format_tasks(rows: list[dict[str, Any]]) -> str:
    """An aligned plain-text list of the tasks, with a count line."""
    if not rows:
        return "no open tasks\n"
    headers = ("Due", "Account", "Type", "Task", "Status")
    cells = [
        (
            row["due"],
            row["account"],
            row["type"],
            row["title"],
            "overdue" if row["overdue"] else row["status"],
        )
        for row in rows
    ]
    widths = [min(50, max(len(h), *(len(c[i]) for c in cells))) for i, h in enumerate(headers)]

    def line(values: tuple[str, ...]) -> str:
        parts = [
            (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
            for v, w in zip(values, widths, strict=True)
        ]
        return "  ".join(parts).rstrip()

    overdue = sum(1 for row in rows if row["overdue"])
    out = [line(headers), line(tuple("─" * w for w in widths)), *(line(c) for c in cells)]
    out.append(f"{len(rows)} tasks, {overdue} overdue")
    return "\n".join(out) + "\n"

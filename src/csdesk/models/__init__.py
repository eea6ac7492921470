"""SQLAlchemy tables of a csdesk portfolio (no rules live here)."""

from csdesk.models.account import SEGMENTS, STATUSES, Account, Contact
from csdesk.models.activity import Activity, SavedMapping, Setting
from csdesk.models.arr_history import ArrEvent
from csdesk.models.base import Base, utcnow
from csdesk.models.catalog import PlanRow
from csdesk.models.health import Alert, HealthSnapshot
from csdesk.models.metrics import MetricLatest, MetricSnapshot, MetricTarget
from csdesk.models.opportunity import (
    OPPORTUNITY_STATES,
    OPPORTUNITY_TYPES,
    OUTCOMES,
    Opportunity,
    RenewalOutcome,
)
from csdesk.models.prospect import CRITERION_KEYS, ProspectScorecard
from csdesk.models.roi import RoiInput, RoiLine
from csdesk.models.support import SurveyResponse, Ticket
from csdesk.models.tasks import TASK_STATUSES, TASK_TYPES, Task

__all__ = [
    "CRITERION_KEYS",
    "OPPORTUNITY_STATES",
    "OPPORTUNITY_TYPES",
    "OUTCOMES",
    "SEGMENTS",
    "STATUSES",
    "TASK_STATUSES",
    "TASK_TYPES",
    "Account",
    "Activity",
    "Alert",
    "ArrEvent",
    "Base",
    "Contact",
    "HealthSnapshot",
    "MetricLatest",
    "MetricSnapshot",
    "MetricTarget",
    "Opportunity",
    "PlanRow",
    "ProspectScorecard",
    "RenewalOutcome",
    "RoiInput",
    "RoiLine",
    "SavedMapping",
    "Setting",
    "SurveyResponse",
    "Task",
    "Ticket",
    "utcnow",
]

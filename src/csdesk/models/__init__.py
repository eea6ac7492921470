"""SQLAlchemy tables of a csdesk portfolio (no rules live here)."""

from csdesk.models.account import Account, Contact
from csdesk.models.activity import Activity, SavedMapping, Setting
from csdesk.models.arr_history import ArrEvent
from csdesk.models.base import Base, utcnow
from csdesk.models.branding import BRANDING_ROW_ID, BrandingRow
from csdesk.models.catalog import PlanRow
from csdesk.models.health import Alert, HealthSnapshot
from csdesk.models.identity import ExternalId
from csdesk.models.metrics import MetricLatest, MetricSnapshot, MetricTarget
from csdesk.models.prospect import ProspectScorecard
from csdesk.models.roi import RoiInput, RoiLine
from csdesk.models.success_plan import AccountNarrative, SuccessGoal
from csdesk.models.support import SurveyResponse, Ticket
from csdesk.models.tasks import Task

# The vocabulary lives in csdesk.scoring.vocabulary; these names stay importable from here.
from csdesk.scoring.prospect import CRITERION_KEYS
from csdesk.scoring.vocabulary import SEGMENTS, STATUSES, TASK_STATUSES, TASK_TYPES

__all__ = [
    "BRANDING_ROW_ID",
    "CRITERION_KEYS",
    "OPEN_TASK_STATUSES",
    "SEGMENTS",
    "STATUSES",
    "TASK_STATUSES",
    "TASK_TYPES",
    "Account",
    "AccountNarrative",
    "Activity",
    "Alert",
    "ArrEvent",
    "Base",
    "BrandingRow",
    "Contact",
    "ExternalId",
    "HealthSnapshot",
    "MetricLatest",
    "MetricSnapshot",
    "MetricTarget",
    "PlanRow",
    "ProspectScorecard",
    "RoiInput",
    "RoiLine",
    "SavedMapping",
    "Setting",
    "SuccessGoal",
    "SurveyResponse",
    "Task",
    "Ticket",
    "utcnow",
]

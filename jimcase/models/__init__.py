"""The case core: organisations, teams, users and youths, with per-youth object permissions.

Domain words: a *hulpverlener* is a professional; a *JIM* (Jouw Ingebrachte Mentor) is the informal
mentor a youth chooses from their own network.
"""

from .history import (  # noqa: F401
    HistoryQuerySet,
    LivingSituationChange,
    NobodyCanDecide,
    StageChange,
    YouthHistory,
    why_label,
)
from .people import (  # noqa: F401
    JimUserManager,
    Organisation,
    Role,
    Team,
    TeamManager,
    Training,
    User,
    UserQuerySet,
)
from .records import (  # noqa: F401
    ACCESS_LOG_PAGES,
    AccessLog,
    AccessLogQuerySet,
    DossierAccess,
    FormSubmission,
    Note,
    NoteQuerySet,
    ReminderSent,
)
from .youth import (  # noqa: F401
    CASE_NUMBER_TAKEN,
    CaseAssignment,
    CaseAssignmentQuerySet,
    EditVersioned,
    ParentGuardian,
    Youth,
    YouthGroupObjectPermission,
    YouthQuerySet,
    YouthUserObjectPermission,
    current_leads_prefetch,
)

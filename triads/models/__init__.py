"""Triads: youth, JIM and professional under a signed, versioned agreement, with parental consent.

Domain words: a *triade* is the youth (with family), the professional (hulpverlener) and the JIM working
together; the *terugvalhulpverlener* (fallback professional) is who the JIM can always fall back on.
"""

from .agreement import (  # noqa: F401
    AGREEMENT_SECTIONS,
    Agreement,
    Party,
    Signature,
    SigningLink,
)
from .consent import (  # noqa: F401
    ConsentDecision,
    ConsentDecisionQuerySet,
    ConsentOverride,
)
from .evaluation import (  # noqa: F401
    Evaluation,
    EvaluationView,
    FallbackRequest,
    JimLogEntry,
)
from .followup import (  # noqa: F401
    CheckIn,
    CheckInMove,
    CheckInQuerySet,
    Closure,
    GoalsReached,
    PlacementOutcome,
)
from .triad import (  # noqa: F401
    EndReason,
    NoteShare,
    Triad,
    TriadGroupObjectPermission,
    TriadQuerySet,
    TriadStatusChange,
    TriadUserObjectPermission,
    active_on_q,
    in_trial_on_q,
    live_on_q,
    running_during_q,
    running_on_q,
)

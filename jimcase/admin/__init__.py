"""Coordinator screens. Every queryset is scoped to the coordinator's own organisation.

By area: `base` (what every screen builds on), `people` (organisations, teams, users, groups), `youth`
(files and case assignments). Every screen derives from `jimcase.admin_narrow.NarrowAdmin`.
"""

from .base import (  # noqa: F401
    CaseMetadataAdmin,
    HistoryInline,
    OrganisationScopedAdmin,
    OwnTeamsFilter,
    ReadOnlyAdmin,
    count_of,
)
from .people import (  # noqa: F401
    MAIL_KINDS,
    AccountCreationForm,
    GroupAdmin,
    OrganisationAdmin,
    RolesChangeForm,
    TeamAdmin,
    TeamForm,
    TrainedFilter,
    TrainingInline,
    UserAdmin,
    trained,
)
from .youth import (  # noqa: F401
    AssignmentStateFilter,
    CaseAssignmentAdmin,
    LeadHandOverForm,
    LivingSituationChangeInline,
    ProfessionalTeamFilter,
    StageChangeInline,
    YouthAdmin,
)

"""Writes for triads, one module per area. Callers use `from triads import services` and the names below.

- `status`: the one place a triad's status moves (along `rules.TRIAD_TRANSITIONS`), each move recorded
- `triad`: making the triad from the youth's choice, and its fallback professional
- `agreements`: versions, signatures bound to the text's hash, personal signing links
- `consent`: parents' decisions (append-only) and the coordinator's override
- `followup`: the plan of check-ins, the JIM's and youth's views, evaluations with the trial decision, closure
- `jim`: the JIM's account, private log and "Denk even mee" requests

The modules import each other only downwards, in the order status ← consent ← agreements ← triad,
followup; `jim` stands alone (`triad` uses its mail to a JIM who gets a new triad). Read-only rules live in `triads.rules`.
"""

from .agreements import (
    SIGNING_LINK_DAYS,
    AgreementChange,
    LinkError,
    agreement_change,
    agreement_new_version,
    agreement_sign,
    agreement_update,
    default_sections,
    signing_link_resolve,
    signing_link_send,
    signing_link_sign,
)
from .consent import consent_override_record, consent_override_validate, consent_record
from .followup import (
    check_in_cancel,
    check_in_done,
    check_in_move,
    check_in_plan,
    evaluation_record,
    evaluation_view_save,
    note_share,
    note_unshare,
    triad_close,
)
from .jim import (
    fallback_request_handle,
    fallback_request_send,
    jim_invite,
    jim_log_add,
    jim_log_share,
    jim_password_link_send,
)
from .status import triad_transition
from .triad import triad_create, triad_fallback_set

__all__ = [
    "SIGNING_LINK_DAYS",
    "AgreementChange",
    "LinkError",
    "agreement_change",
    "agreement_new_version",
    "agreement_sign",
    "agreement_update",
    "check_in_cancel",
    "check_in_done",
    "check_in_move",
    "check_in_plan",
    "consent_override_record",
    "consent_override_validate",
    "consent_record",
    "default_sections",
    "evaluation_record",
    "evaluation_view_save",
    "fallback_request_handle",
    "fallback_request_send",
    "jim_invite",
    "jim_log_add",
    "jim_log_share",
    "jim_password_link_send",
    "note_share",
    "note_unshare",
    "signing_link_resolve",
    "signing_link_send",
    "signing_link_sign",
    "triad_close",
    "triad_create",
    "triad_fallback_set",
    "triad_transition",
]

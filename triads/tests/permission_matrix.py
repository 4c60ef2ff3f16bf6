"""Who may open which page: every URL of the app × GET and POST × the cast (read with test_permission_matrix).

Columns, in this order:
  anon   an anonymous visitor            lead   the youth's lead professional
  backup a backup professional           coll   a team colleague without the youth
  other  a professional of another org   jim    the youth's JIM (triad in its trial)
  draft  a JIM of a draft triad of the same youth
  ojim   another youth's JIM             exjim  a JIM whose triad with the youth ended
  coord  coordinator of the organisation ocoord coordinator of the other organisation

Codes: ok = answered (200, or a redirect that is not to a login page); 404 = not found;
login = sent to the login page; admin = sent to the admin's login page; 405 = method not allowed;
403 = the admin refuses an action to everyone of that role (it reveals no object).
A refused POST (404, login, admin, 405, 403) must leave the database exactly as it was.
"""

MEMBERS = ["anon", "lead", "backup", "coll", "other", "jim", "draft", "ojim", "exjim", "coord", "ocoord"]

#                  anon   lead backup coll other jim  draft ojim exjim coord ocoord
FILE = "           login  ok   ok     404  404   404  404   404  404   404   404"
PROS = "           login  ok   ok     ok   ok    404  404   404  404   404   404"
ANY_USER = "       login  ok   ok     ok   ok    ok   ok    ok   ok    ok    ok"
JIMS = "           login  404  404    404  404   ok   ok    ok   ok    404   404"
THE_JIM = "        login  404  404    404  404   ok   404   404  404   404   404"
NOT_ALLOWED = "    login  405  405    405  405   405  405   405  405   405   405"
PUBLIC = "         ok     ok   ok     ok   ok    ok   ok    ok   ok    ok    ok"
PUBLIC_POST_ONLY = "405   405  405    405  405   405  405   405  405   405   405"
ALL_TO_LOGIN = "   login  login login login login login login login login login login"
USERS_GET_ONLY = " login  405  405    405  405   405  405   405  405   405   405"
PUBLIC_GET_ONLY = "405    405  405    405  405   405  405   405  405   405   405"

#: URL name: (GET, POST)
MATRIX = {
    "home": (ANY_USER, ANY_USER),
    "healthz": (PUBLIC, PUBLIC_POST_ONLY),
    "set_language": (PUBLIC, PUBLIC),
    "login": (PUBLIC, PUBLIC),
    "logout": (USERS_GET_ONLY, ALL_TO_LOGIN),
    "password_change": (ANY_USER, ANY_USER),
    "password_change_done": (ANY_USER, USERS_GET_ONLY),
    "password_reset": (PUBLIC, PUBLIC),
    "password_reset_done": (PUBLIC, PUBLIC_GET_ONLY),
    "password_reset_confirm": (PUBLIC, PUBLIC),
    "password_reset_complete": (PUBLIC, PUBLIC_GET_ONLY),
    # The second factor: every logged-in user manages their own (and nobody else's: there is no id).
    "accounts:second_factor": (ANY_USER, USERS_GET_ONLY),
    "accounts:second_factor_setup": (ANY_USER, ANY_USER),
    "accounts:second_factor_verify": (ANY_USER, ANY_USER),
    "accounts:recovery_codes": (ANY_USER, ANY_USER),
    # Each user's own e-mail address (no id in it); the confirmation link answers every logged-in user, and
    # changes an address only for the account it was sent for (accounts/tests/test_accounts_email.py).
    "accounts:email_change": (ANY_USER, ANY_USER),
    "accounts:email_change_confirm": (ANY_USER, ANY_USER),
    # The case core
    "jimcase:caseload": (PROS, PROS),
    "jimcase:youth_create": (PROS, PROS),
    "jimcase:youth_detail": (FILE, FILE),
    "jimcase:youth_edit": (FILE, FILE),
    "jimcase:parent_add": (FILE, FILE),
    "jimcase:parent_edit": (FILE, FILE),
    "jimcase:nobody_can_decide": (FILE, FILE),
    "jimcase:assignment_add": (FILE, FILE),
    "jimcase:assignment_end": (NOT_ALLOWED, FILE),
    "jimcase:lead_hand_over": (NOT_ALLOWED, FILE),
    "jimcase:capacity_edit": (FILE, FILE),
    "jimcase:note_add": (FILE, FILE),
    "jimcase:dossier_access": (FILE, FILE),
    # The wie-vraag
    "mentors:network": (FILE, NOT_ALLOWED),
    "mentors:member_add": (FILE, FILE),
    "mentors:member_edit": (FILE, FILE),
    "mentors:network_map": (FILE, NOT_ALLOWED),
    "mentors:search": (FILE, NOT_ALLOWED),
    "mentors:search_start": (FILE, FILE),
    "mentors:search_stop": (FILE, FILE),
    "mentors:candidate_add": (FILE, FILE),
    "mentors:candidate_status": (FILE, FILE),
    "mentors:candidate_status_quick": (NOT_ALLOWED, FILE),
    "mentors:candidate_move": (NOT_ALLOWED, FILE),
    "mentors:candidate_screening": (FILE, FILE),
    "mentors:candidate_record_check": (FILE, FILE),
    "mentors:candidate_record_exception": (FILE, FILE),
    "mentors:candidate_choose": (FILE, FILE),
    # The triad, for the professional
    "triads:create": (FILE, FILE),
    "triads:detail": (FILE, FILE),
    "triads:agreement_edit": (FILE, FILE),
    "triads:agreement_print": (FILE, FILE),
    "triads:sign_in_person": (FILE, FILE),
    "triads:link_send": (FILE, FILE),
    "triads:consent_record": (FILE, FILE),
    "triads:jim_invite": (FILE, FILE),
    "triads:jim_password_link": (NOT_ALLOWED, FILE),
    "triads:start": (NOT_ALLOWED, FILE),
    "triads:check_in_add": (FILE, FILE),
    "triads:check_in_move": (FILE, FILE),
    # GET asks "Weet je het zeker?", POST does it (issue 14: no one-click destructive actions).
    "triads:check_in_cancel": (FILE, FILE),
    "triads:check_in_done": (NOT_ALLOWED, FILE),
    "triads:evaluation_add": (FILE, FILE),
    "triads:youth_view": (FILE, FILE),
    "triads:close": (FILE, FILE),
    "triads:note_share": (FILE, FILE),
    "triads:note_unshare": (NOT_ALLOWED, FILE),
    "triads:fallback_handle": (FILE, FILE),
    # A signing link: anyone may open it; a logged-in user who is not its JIM is told it is for someone else.
    "triads:sign_link": (PUBLIC, PUBLIC),
    # The JIM's own pages (the triad in its trial)
    "triads:mine": (JIMS, JIMS),
    "triads:jim_triad": (THE_JIM, THE_JIM),
    "triads:jim_ask": (THE_JIM, THE_JIM),
    "triads:jim_evaluation": (THE_JIM, THE_JIM),
    "triads:jim_log": (THE_JIM, THE_JIM),
    "triads:jim_log_share": (THE_JIM, THE_JIM),
    "triads:jim_welcome": (JIMS, JIMS),
    "triads:jim_peers": (THE_JIM, THE_JIM),
    "triads:jim_peers_join": (NOT_ALLOWED, THE_JIM),
    "triads:jim_peer_attend": (NOT_ALLOWED, THE_JIM),
}

#: The JIM's pages at the address of the draft triad (column "draft" is its JIM): until the trial starts its
#: JIM opens the triad's page (the agreement to sign, whom to call about it) and nothing else (issue 21).
#                  anon   lead backup coll other jim  draft ojim exjim coord ocoord
THE_DRAFT_JIM = "  login  404  404    404  404   404  ok    404  404   404   404"
NOBODY = "         login  404  404    404  404   404  404   404  404   404   404"
DRAFT_TRIAD = {
    "triads:jim_triad": (THE_DRAFT_JIM, THE_DRAFT_JIM),
    "triads:jim_ask": (NOBODY, NOBODY),
    "triads:jim_evaluation": (NOBODY, NOBODY),
    "triads:jim_log": (NOBODY, NOBODY),
    "triads:jim_log_share": (NOBODY, NOBODY),
}

#: The admin: only staff get in; a coordinator sees her own organisation's objects and nothing else.
#: (An anonymous visitor is sent to the app's login page first, like everywhere.)
#                  anon   lead  backup coll  other jim   draft ojim  exjim coord ocoord
ADMIN_INDEX = "    admin  admin admin  admin admin admin admin admin admin ok    ok"
ADMIN_OWN = "      login  admin admin  admin admin admin admin admin admin ok    404"
ADMIN_ANY = "      login  admin admin  admin admin admin admin admin admin ok    ok"
#: Screens a coordinator has no permission for at all (auth groups; changing read-only case metadata).
ADMIN_NONE = "     login  admin admin  admin admin admin admin admin admin 403   403"


def expected(row):
    """{member: code} for one row of the table."""
    codes = row.split()
    assert len(codes) == len(MEMBERS), row
    return dict(zip(MEMBERS, codes, strict=True))


#: Pages only to read (the reports): a coordinator's POST is not allowed.
ADMIN_GET_ONLY = " login  admin admin  admin admin admin admin admin admin 405   405"

#: The admin pages the apps add (jimcase.registry.ADMIN_SECTIONS). Every coordinator opens them, and each
#: sees only her own organisation's figures there (reports/tests check the figures).
ADMIN_PAGES = {
    "admin:reports_index": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_funnel": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_funnel_csv": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_funnel_xlsx": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_triads": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_triads_csv": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_triads_xlsx": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_outcomes": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_outcomes_csv": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_outcomes_xlsx": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_followup": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_followup_csv": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_followup_xlsx": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_consent": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_consent_csv": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_consent_xlsx": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_capacity": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_capacity_csv": (ADMIN_ANY, ADMIN_GET_ONLY),
    "admin:reports_capacity_xlsx": (ADMIN_ANY, ADMIN_GET_ONLY),
}

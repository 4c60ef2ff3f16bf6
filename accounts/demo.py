"""Demo data for the accounts: the demo coordinators' second factor (demo only!)."""

from base64 import b32decode

from .services import second_factor_install_for_demo

#: The demo coordinators' second factor (demo only, printed in the README): the key to type into an
#: authenticator app, and recovery codes that each work once (seed_demo makes them new every run).
DEMO_SECOND_FACTOR_USERNAMES = ("coord.dana", "coord.erik")
DEMO_AUTHENTICATOR_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo only, base32
DEMO_RECOVERY_CODES = ("jimdemo1", "jimdemo2", "jimdemo3", "jimdemo4", "jimdemo5")


def seed(context):
    """Give the demo coordinators (made by jimcase.demo) their known second factor; seed_demo says how."""
    for username in DEMO_SECOND_FACTOR_USERNAMES:
        second_factor_install_for_demo(
            user=context["users"][username],
            key=b32decode(DEMO_AUTHENTICATOR_KEY).hex(),
            recovery_codes=DEMO_RECOVERY_CODES,
        )
    context.setdefault("notes", []).append(
        f"The coordinators also need their second factor: type the key {DEMO_AUTHENTICATOR_KEY} into an "
        f"authenticator app, or use a recovery code ({', '.join(DEMO_RECOVERY_CODES)}; each works once "
        "until seed_demo runs again)."
    )

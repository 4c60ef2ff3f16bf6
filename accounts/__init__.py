"""Signing in safely: login throttling, the second factor, session timeouts and the security log.

- `lockout`: django-axes' backend and handler (who is locked out, from which address);
- `rules`: who must use a second factor;
- `services`: every write (unlock, second factor on or off, password-reset limits) and the log lines;
- `middleware`: idle and absolute session timeouts, and the second-factor gate after the password;
- `views`, `forms`, `urls`: the pages (set up, verify, recovery codes, the lockout page).

Every event is logged to the "jimcase.security" logger with the username and the client address,
never a password or a code.
"""

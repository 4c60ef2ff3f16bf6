"""Five people (or one impatient thumb) use one signing link at the same moment: one signs, four see
"already used", nobody gets a server error. On SQLite and on PostgreSQL."""

import contextlib
import sqlite3
import threading

from django.conf import settings
from django.db import connection
from django.test import Client

from triads import services
from triads.models import Party, Signature, SigningLink

PARALLEL = 5


@contextlib.contextmanager
def database_shared_like_production():
    """Let threads share the test database the way servers share the production one.

    PostgreSQL needs nothing. An in-memory SQLite test database is shared between connections through
    SQLite's shared cache, whose table locks fail at once instead of waiting; production SQLite is a
    file. So for SQLite the test database is copied to a file and the threads open that file.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    test_dir = settings.BASE_DIR / "var"
    path = test_dir / f"test-race-{threading.get_ident()}.sqlite3"
    with sqlite3.connect(path) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    memory_name = connection.settings_dict["NAME"]
    # New connections (one per thread) read this dict; the main thread's open connection keeps the
    # in-memory database alive and untouched.
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = memory_name
        path.unlink(missing_ok=True)


def use_link_at_once(path, count):
    """POST the signing form `count` times at the same moment; return the status codes and pages."""
    barrier = threading.Barrier(count)
    results = []

    def one():
        client = Client(raise_request_exception=False)
        try:
            barrier.wait()
            response = client.post(path, {"typed_name": "Wilma Janssens", "agree": "on"})
            results.append((response.status_code, response.content.decode()))
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def read_in_a_thread(read):
    """Run `read()` on a connection of its own (the one the request threads used), return its result."""
    result = []

    def run():
        try:
            result.append(read())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def test_one_link_used_five_times_at_once_signs_once_and_tells_the_others_it_was_used(
    transactional_db_with_roles, triad, lead
):
    link, url = services.signing_link_send(
        agreement=triad.current_agreement, party=Party.JIM, email="wilma@example.org", by=lead
    )
    path = url.removeprefix(settings.SITE_URL)

    with database_shared_like_production():
        results = use_link_at_once(path, PARALLEL)
        signatures, used_at = read_in_a_thread(
            lambda: (
                Signature.objects.filter(agreement=link.agreement, party=Party.JIM).count(),
                SigningLink.objects.get(pk=link.pk).used_at,
            )
        )

    codes = sorted(code for code, _page in results)
    assert codes == [200] + [410] * (PARALLEL - 1), codes
    assert all("al gebruikt" in page for code, page in results if code == 410)
    assert signatures == 1
    assert used_at is not None

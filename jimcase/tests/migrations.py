"""Moving a database between migration states in a test (a test that does must use `transaction=True`)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to `targets` ([(app, migration name)]) and return the models of that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    """The latest migration of every app: where a test puts the database back."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()

"""AccountChange and PasswordResetRequest move to the accounts app: gone from jimcase's state only; their
tables stay (accounts 0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0028_outgoingmail_moves_to_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AccountChange"),
                migrations.DeleteModel(name="PasswordResetRequest"),
            ],
            database_operations=[],
        ),
    ]

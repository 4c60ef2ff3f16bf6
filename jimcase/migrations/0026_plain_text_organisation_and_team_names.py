# Names a coordinator types go through the plain-text rule (issue 20, hole 5): validators only, no schema change.

from django.db import migrations, models

import jimcase.rules


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0025_accountchange_email_and_password_link"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="name",
            field=models.CharField(
                max_length=200, unique=True, validators=[jimcase.rules.plain_text], verbose_name="name"
            ),
        ),
        migrations.AlterField(
            model_name="team",
            name="name",
            field=models.CharField(
                max_length=200, validators=[jimcase.rules.plain_text], verbose_name="name"
            ),
        ),
    ]

# Names a coordinator types go through the plain-text rule (issue 20, hole 5): a validator only, no schema change.

from django.db import migrations, models

import jimcase.rules


class Migration(migrations.Migration):
    dependencies = [
        ("mentors", "0010_default_topics"),
    ]

    operations = [
        migrations.AlterField(
            model_name="topic",
            name="name",
            field=models.CharField(max_length=60, validators=[jimcase.rules.plain_text], verbose_name="name"),
        ),
    ]

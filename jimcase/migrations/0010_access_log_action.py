"""An access-log row says whether the page was seen or something was changed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0009_access_log_on_behalf_of"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[("view", "viewed"), ("change", "changed")],
                default="view",
                max_length=10,
                verbose_name="action",
            ),
        ),
    ]

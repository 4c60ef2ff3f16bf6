# Every date a user enters and the trial length get a plausible range (validators only, no schema change).

from django.db import migrations, models

import jimcase.validators


class Migration(migrations.Migration):
    dependencies = [
        ("jimcase", "0014_account_security"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseassignment",
            name="ends_on",
            field=models.DateField(
                blank=True,
                null=True,
                validators=[jimcase.validators.validate_event_date],
                verbose_name="until",
            ),
        ),
        migrations.AlterField(
            model_name="caseassignment",
            name="starts_on",
            field=models.DateField(validators=[jimcase.validators.validate_event_date], verbose_name="from"),
        ),
        migrations.AlterField(
            model_name="note",
            name="written_on",
            field=models.DateField(validators=[jimcase.validators.validate_event_date], verbose_name="date"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="default_trial_days",
            field=models.PositiveIntegerField(
                default=90,
                help_text="How long a triad's trial period lasts unless the agreement says otherwise.",
                validators=[jimcase.validators.validate_trial_days],
                verbose_name="default trial length (days)",
            ),
        ),
        migrations.AlterField(
            model_name="youth",
            name="date_of_birth",
            field=models.DateField(
                null=True, validators=[jimcase.validators.validate_birth_date], verbose_name="date of birth"
            ),
        ),
        migrations.AlterField(
            model_name="youth",
            name="referral_date",
            field=models.DateField(
                null=True,
                validators=[jimcase.validators.validate_event_date],
                verbose_name="date of referral",
            ),
        ),
    ]

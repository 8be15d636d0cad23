# Unconfirmed reminders: a rule may resend them automatically, once per delivery (issue 17).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_reminder_rules_and_deliveries"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminderdelivery",
            name="resent_automatically",
            field=models.BooleanField(default=False, editable=False, verbose_name="resent automatically"),
        ),
        migrations.AddField(
            model_name="reminderrule",
            name="resend_unconfirmed",
            field=models.BooleanField(
                default=False,
                help_text="When the mail server has not confirmed a reminder within the grace period, send it again once by itself. The business may then, rarely, receive it twice.",
                verbose_name="resend automatically when unconfirmed",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminderdelivery",
            constraint=models.UniqueConstraint(
                condition=models.Q(("resent_automatically", True)),
                fields=("resent_from",),
                name="reminder_delivery_auto_resend_once",
            ),
        ),
    ]

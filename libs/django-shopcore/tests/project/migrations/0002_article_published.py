from django.db import migrations, models


class Migration(migrations.Migration):
    # SQLite adds a NOT NULL column by rebuilding the table from the migration state; the
    # PostgreSQL-only index of 0001 must not be in that state, or the rebuild would fail.
    dependencies = [("project", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="published",
            field=models.BooleanField(default=False),
        ),
    ]

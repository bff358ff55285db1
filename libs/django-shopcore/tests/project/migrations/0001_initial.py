import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import shopcore.db


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Article",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=100, unique=True)),
                ("body", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["id"]},
        ),
        # A GIN index over a search vector: something SQLite cannot build at all.
        shopcore.db.AddIndexOnPostgresql(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector("title", "body", config="english"),
                name="project_article_search",
            ),
        ),
    ]

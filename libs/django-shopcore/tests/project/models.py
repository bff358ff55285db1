from django.db import models


class Article(models.Model):
    """Rows to page through and read with validators. Its full-text index exists on PostgreSQL
    only (migration 0001, shopcore.db.AddIndexOnPostgresql), so it is not listed here."""

    title = models.CharField(max_length=100, unique=True)
    body = models.TextField(blank=True)
    published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

"""The SQLite FTS5 index of the knowledge base (ADR 0004). PostgreSQL searches the table itself
with its `russian` text-search configuration, so nothing is created there."""

from django.db import migrations

FTS_TABLE = "hotlines_knowledge_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "body, entry_id UNINDEXED, hotline_id UNINDEXED, tokenize='unicode61')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("hotlines", "0002_specs_knowledge_training")]
    operations = [migrations.RunPython(create, drop)]

"""Full-text search of a hotline's knowledge base that understands Russian word forms (ADR 0004).

SQLite (embedded): words are stemmed with Snowball (Russian for Cyrillic, English for Latin)
and kept in an FTS5 table this module maintains; queries are stemmed the same way and matched
as prefixes. PostgreSQL (scaled out): the `russian` text-search configuration over the table.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from django.db import connection

from .models import KnowledgeEntry

FTS_TABLE = "hotlines_knowledge_fts"
_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=2)
def _stemmer(language: str):  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer(language)


def stem_words(text: str) -> list[str]:
    words = [w.replace("ё", "е") for w in _WORD.findall(text.lower())]
    return [_stemmer("russian" if _CYRILLIC.search(w) else "english").stemWord(w) for w in words]


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def index_entry(entry: KnowledgeEntry) -> None:
    if not _is_sqlite():
        return
    body = " ".join(stem_words(f"{entry.question} {entry.answer}"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE entry_id = %s", [entry.pk])
        cursor.execute(f"INSERT INTO {FTS_TABLE} (body, entry_id, hotline_id) VALUES (%s, %s, %s)",
                       [body, entry.pk, entry.hotline_id])


def unindex_entry(entry_id: int) -> None:
    if _is_sqlite():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE entry_id = %s", [entry_id])


def search(hotline_id: int, query: str, limit: int = 20) -> list[KnowledgeEntry]:
    """Entries of one hotline matching every word of `query` in any form, best first."""
    if not query.strip():
        return []
    if _is_sqlite():
        stems = [s for s in stem_words(query) if s]
        if not stems:
            return []
        # Each stem is \w+ only, so quoting makes it a literal FTS5 prefix term.
        match = " AND ".join(f'"{s}"*' for s in stems)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT entry_id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND hotline_id = %s "
                "ORDER BY rank LIMIT %s",
                [match, hotline_id, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        by_id = KnowledgeEntry.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector("question", weight="A", config="russian") + SearchVector("answer", weight="B", config="russian")
    search_query = SearchQuery(query, config="russian", search_type="websearch")
    return list(
        KnowledgeEntry.objects.filter(hotline_id=hotline_id)
        .annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .order_by("-rank", "question")[:limit]
    )

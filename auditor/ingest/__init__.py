"""Ingest stage: input paths (files, folders, JSONL, CSV, HTML, feeds, stdin) -> the documents table.

A bad input never stops the batch: it becomes a row of the errors list."""

from .documents import iter_documents, read_documents

__all__ = ["iter_documents", "read_documents"]

"""Curated, cited knowledge about neuroendocrine tumours: YAML files, their schema and the loader."""

from knowledge.loader import Knowledge, KnowledgeError, load

__all__ = ["Knowledge", "KnowledgeError", "load"]

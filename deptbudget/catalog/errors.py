"""Errors of the classification catalogs (messages in Chinese and English)."""

from __future__ import annotations


class CatalogError(Exception):
    """A catalog cannot be loaded or a lookup is invalid (message in Chinese and English)."""

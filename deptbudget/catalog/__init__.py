"""Classification catalogs (政府收支分类科目) per fiscal year, the changes between years, and lookups."""

from deptbudget.catalog.changes import Change
from deptbudget.catalog.lookup import (
    KINDS,
    Catalog,
    CatalogEntry,
    CatalogError,
    FormerName,
    UnknownCodeError,
    available_years,
    changes_between,
    history,
    load_catalog,
    year_changes,
)

__all__ = [
    "KINDS",
    "Catalog",
    "CatalogEntry",
    "CatalogError",
    "Change",
    "FormerName",
    "UnknownCodeError",
    "available_years",
    "changes_between",
    "history",
    "load_catalog",
    "year_changes",
]

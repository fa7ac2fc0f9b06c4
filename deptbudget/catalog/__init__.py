"""Classification catalogs (政府收支分类科目) per fiscal year, and lookups."""

from deptbudget.catalog.lookup import (
    KINDS,
    Catalog,
    CatalogEntry,
    CatalogError,
    UnknownCodeError,
    available_years,
    load_catalog,
)

__all__ = [
    "KINDS",
    "Catalog",
    "CatalogEntry",
    "CatalogError",
    "UnknownCodeError",
    "available_years",
    "load_catalog",
]

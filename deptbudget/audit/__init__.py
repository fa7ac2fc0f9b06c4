"""Audit at scale (issue 17): import, check and review every document of a batch, results as Parquet.

``inputs`` lists the documents (folders, files, a manifest CSV); ``worker`` audits one document into plain
rows; ``results`` writes them in parts and knows what is done (resumable); ``engines`` runs the worker on a
process pool or a Dask cluster through one code path; ``runner`` ties them together with the progress bar.
"""

from deptbudget.audit.inputs import AuditDocument, InputError, collect
from deptbudget.audit.runner import AuditSummary, run_audit

__all__ = ["AuditDocument", "AuditSummary", "InputError", "collect", "run_audit"]

"""The reviewer's checklist (公开情况检查表): findings of every rule placed on the finance bureau's
checklist items, each item decided 是 / 否, a score and a grade; written as XLSX and HTML.

``Reviewer(...).review(disclosure, dates)`` gives a ``Review``; ``deptbudget.review.reports`` writes it.
"""

from deptbudget.review.checklist import Checklist, ChecklistError, available_checklists, load_checklist
from deptbudget.review.engine import Review, Reviewer, load_rules
from deptbudget.review.structure import Dates

__all__ = ["Checklist", "ChecklistError", "Dates", "Review", "Reviewer", "available_checklists", "load_checklist",
           "load_rules"]

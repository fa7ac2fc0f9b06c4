"""Roll-ups of budgets (issue 17): the budget lines of many departments' documents (``lines``, written by
``deptbudget audit`` beside its results) summed by locality and year along 功能分类 and 经济分类, 基本 / 项目,
“三公”经费 and 机关运行经费, with year-on-year comparison (``warehouse``, DuckDB), reported as HTML + XLSX
(``report``) and exported as a Fiscal Data Package (``fdp``).
"""

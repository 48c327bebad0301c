"""Score tables (自评表) and budget blocks: from PDF pages to rows, spans and facts.

The modules follow the data flow:

* ``pages``: which pages hold the score table (from the text layer);
* ``grid``: one table as rows of cell texts, read by PDFium inside the boxes
  Camelot found (``lattice``) or rebuilt from text lines (``stream``/``network``);
* ``reading``: per page, the flavor whose result reads best (quality, not guess);
* ``headers``: header cells → column roles (``reference/table_headers.yaml``);
* ``rows``: grids → one score table (header, data rows, total, grade), joining
  rows that a page break cut;
* ``hierarchy``: rows → 一级/二级 spans from evidence (weights, rules, dictionary);
* ``facts``: spans and rows → ``ScoreFact`` records;
* ``budget``: the 年度部门预算 block → ``BudgetFact`` records.
"""

"""The warehouse SQL (``ddl/``, ``views/``, ``queries/``): the package data ``jixiao.sql``."""

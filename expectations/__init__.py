"""The Great Expectations suites (JSON), installed as package data ``jixiao.expectations``."""

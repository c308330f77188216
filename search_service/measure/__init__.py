"""Measurement, apart from the pipeline: search quality (eval), Material's built-in search in a
browser (eval-builtin), speed (bench), and the process harness they share with the tests.

Its extra dependencies come with `pip install -e '.[measure]'` (included in scripts/setup dev).
"""

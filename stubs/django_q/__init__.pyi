# The part of django-q2 (which ships no type information) that the project uses:
# src/zhenggai/jobs/ (runner.py, recovery.py, the worker command) and its tests.

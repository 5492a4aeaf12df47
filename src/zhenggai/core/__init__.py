"""The framework-free core: document model, readers, structure parser, writers.

Nothing here imports Django or touches a database; the CLI and (later) the web
application both stand on it. Entry point: ``zhenggai.core.readers.parse_file``.
"""

"""Backup and restore: the database, the evidence, the kept sources and the exports
in one archive with a manifest of checksums (``zhenggai backup``), brought back
into an empty data folder and an empty database only (``zhenggai restore``).

An app only so that both are commands: it has no models.
"""

"""Zhenggai: inspection rectification (巡察/巡视整改) from feedback to follow-up review."""

__version__ = "0.1.0"

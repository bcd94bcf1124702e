"""Imported by register_process: a real process registers its document kinds here."""

IMPORTED = True

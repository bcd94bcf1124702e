"""A test-only flow that declares deadlines, installed only by project/settings/test.py."""

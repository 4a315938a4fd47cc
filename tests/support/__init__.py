"""Test helpers for reliability, privacy and security tests (builders, throw-away servers)."""

"""The evidence fixtures (own evidence store per test, incidents, members in each role)."""

from tests.evidence.conftest import evidence_dir, incident  # noqa: F401

from tests.evidence.conftest import evidence_dir, incident  # noqa: F401

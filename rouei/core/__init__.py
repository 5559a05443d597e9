"""Django infrastructure shared by the apps: base models, the audit trail, access to a case."""

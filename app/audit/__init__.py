"""Recording every change in the audit log, below every domain; reading it is `app.audit_log`."""

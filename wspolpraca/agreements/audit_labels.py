"""What this app's audit entries say, by action code (see core.audit); each part of the
app adds its own codes here."""

ACTIONS = {}

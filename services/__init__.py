"""The rules of the service, as plain Python: no Flask here."""

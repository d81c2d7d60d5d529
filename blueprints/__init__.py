"""One blueprint per area of the service; each view is thin."""

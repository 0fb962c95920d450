"""Probes: small programs that measure the running app the way a user meets it."""

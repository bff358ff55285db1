"""Cross-cutting pieces every request passes through: errors, request ids, logs, tokens, health.

Nothing in here knows about products or orders, so a new Django service can copy this app as is.
"""

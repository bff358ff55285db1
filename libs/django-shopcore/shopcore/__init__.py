"""The cross-cutting pieces of the shop's Django services, as one installable Django app.

Errors in one shape, request ids, JSON logs, bearer-token verification against auth-flask's
keys, permissions, health probes, pagination, HTTP caching for reads, strict input serializers
and the environment reader every settings module starts with. Nothing in here knows about
products, carts or orders: each service keeps its own rules and calls the others over HTTP.
"""

"""Caching of the public catalog reads: validators from the catalog version, and rendered bodies.

Every write that changes what these reads show bumps the catalog version in the transaction
that changes the data (services.catalog_changed), so the version says whether anything a read
shows may have changed:

- The ETag and Last-Modified of every public read come from it; a client or the gateway
  revalidating a current copy gets a 304 for one small query (shopcore.http.cached_read).
- The rendered body of a read is kept in the `catalog_reads` cache under the version, the time
  of the change and the normalised URL. A write changes the key, so a kept body is never served
  for data changed since; bodies of older versions are never asked for again and leave as the
  least recently used. The time is in the key so that a database recreated from scratch, whose
  version counts from 0 again, cannot meet bodies of the old one.

Only reads whose body is the same for every caller come here: the product list, a product and
the category tree look at nobody's token (it only changes Cache-Control, which cached_read sets
on each answer). Admin reads, which show inactive products, never do.
"""

import functools
import hashlib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseBase, QueryDict
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from catalog import selectors
from shopcore.http import Validators, cached_read

CACHE_ALIAS = "catalog_reads"
RENDERER = JSONRenderer()


def catalog_read(
    request: Request,
    *,
    build: Callable[[Mapping[str, Any]], Any],
    params: type[Serializer] | None = None,
) -> HttpResponseBase:
    """Answer a public read: 304 if the caller's copy is current, else the body for this version.

    `build` gets the validated query parameters (`params`) and returns the data to render; it
    runs only when the body is not kept yet. A body is kept only after its query parameters
    passed validation, so finding it vouches for them: a hit validates nothing.
    """
    state = selectors.catalog_version_get()
    query = _normalised_query(request)
    key = _body_key(state, request.path, query)
    bodies = caches[CACHE_ALIAS]
    body: bytes | None = bodies.get(key)
    # A bad query is a 400 even for a caller holding a current ETag, as for any other read.
    validated = _validated(params, query) if body is None and params is not None else {}

    def respond() -> HttpResponse:
        nonlocal body
        if body is None:
            body = RENDERER.render(build(validated))
            bodies.set(key, body)
        return HttpResponse(body, content_type=RENDERER.media_type)

    return cached_read(
        request,
        validators=_validators(state),
        build=respond,
        max_age=settings.CATALOG_CACHE_MAX_AGE,
    )


def _validators(state: selectors.CatalogState) -> Validators:
    return Validators(etag=f'W/"catalog-{state.version}"', last_modified=state.changed_at)


Query = tuple[tuple[str, tuple[str, ...]], ...]


def _normalised_query(request: Request) -> Query:
    # Sorted: the same parameters in another order make the same body (the page links are made
    # from the sorted parameters too).
    return tuple((name, tuple(values)) for name, values in sorted(request.query_params.lists()))


@functools.lru_cache(maxsize=1024)
def _validated(params: type[Serializer], query: Query) -> Mapping[str, Any]:
    """The validated parameters of a query, kept: a query string always validates the same way.

    A new catalog version needs every body again, not every validation (a serializer per
    request is 8 % of building a page). Invalid queries raise, and exceptions are not kept.
    At most 1024 queries of at most 4 KB each (gunicorn's limit on the request line).
    """
    data = QueryDict(mutable=True)
    for name, values in query:
        data.setlist(name, list(values))
    serializer = params(data=data)
    serializer.is_valid(raise_exception=True)
    return MappingProxyType(serializer.validated_data)


def _body_key(state: selectors.CatalogState, path: str, query: Query) -> str:
    # Hashed: a long `ids` list still makes a short key.
    url = f"{path}?{urlencode(query, doseq=True)}"
    changed_at = state.changed_at.isoformat() if state.changed_at else "-"
    return hashlib.sha256(f"{state.version} {changed_at} {url}".encode()).hexdigest()

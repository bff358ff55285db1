"""The current request id, readable anywhere in the same thread or task, and passed on."""

import pytest

from shopcore import request_id


def test_outside_a_request_there_is_none():
    assert request_id.current() is None
    assert request_id.outgoing_headers() == {}


def test_outgoing_headers_pass_the_current_id_on():
    token = request_id.bind("req-7")
    try:
        assert request_id.current() == "req-7"
        assert request_id.outgoing_headers() == {"X-Request-ID": "req-7"}
    finally:
        request_id.unbind(token)

    assert request_id.current() is None


@pytest.mark.parametrize("candidate", ["a1b2c3", "gw.1:2-3_4", "x" * 128])
def test_sane_ids_are_kept(candidate):
    assert request_id.accept_or_create(candidate) == candidate


@pytest.mark.parametrize("candidate", [None, "", "has spaces", "x" * 129, "-leading", "é"])
def test_odd_ids_are_replaced_by_fresh_ones(candidate):
    fresh = request_id.accept_or_create(candidate)

    assert fresh != candidate
    assert len(fresh) == 32
    assert fresh != request_id.accept_or_create(candidate)

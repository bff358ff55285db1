"""Retry waits: exponential backoff, capped, with full jitter."""

from notify.tasks import retry_countdown


def test_waits_grow_exponentially_up_to_the_cap_and_are_spread_over_the_whole_range(make_app):
    app = make_app(
        NOTIFY_RETRY_BACKOFF_BASE="1",
        NOTIFY_RETRY_BACKOFF_MAX="60",
        NOTIFY_VISIBILITY_TIMEOUT="3600",
    )

    with app.app_context():
        for retries, ceiling in [(0, 1), (1, 2), (3, 8), (5, 32), (6, 60), (20, 60)]:
            waits = [retry_countdown(retries) for _ in range(300)]
            assert all(0 <= wait <= ceiling for wait in waits)
            # Full jitter: anywhere from nothing to the ceiling, not clustered near it.
            assert min(waits) < ceiling * 0.2
            assert max(waits) > ceiling * 0.8

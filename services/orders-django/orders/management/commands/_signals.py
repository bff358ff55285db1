"""Graceful stop for the long-running commands: SIGTERM or Ctrl-C ends the current pass,
then the loop exits (a half-published batch is never left behind)."""

import signal
import threading


def stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def _stop(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return stop

"""The HTTP sessions of the REST clients: one per thread, reused within it."""

import threading

from notify.clients import ThreadLocalSession


def test_each_thread_gets_its_own_session_and_keeps_it():
    sessions = ThreadLocalSession()
    seen: list[object] = []

    def use() -> None:
        seen.extend([sessions._session(), sessions._session()])

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen[0] is seen[1]
    assert seen[2] is seen[3]
    assert seen[0] is not seen[2]

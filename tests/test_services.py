"""The tests' own stand-ins clean up after themselves: a socket they leave open is reported
by the garbage collector during some later test, and fails that test instead."""

import contextlib
import gc
import socket
import threading
import time
import warnings

from tests.conftest import _free_port
from tests.services import start_smtp


def _stop_while_clients_connect():
    port = _free_port()
    controller, _ = start_smtp(port)
    clients, done = [], threading.Event()

    def connect_until_done():
        while not done.is_set():
            with contextlib.suppress(OSError):
                clients.append(socket.create_connection(("127.0.0.1", port), timeout=0.2))

    connecting = threading.Thread(target=connect_until_done)
    connecting.start()
    time.sleep(0.05)
    controller.stop()
    done.set()
    connecting.join()
    for client in clients:
        client.close()


def test_smtp_stand_in_stopping_while_clients_connect_leaves_no_socket_open():
    """Failed with aiosmtpd's own Controller.stop: connections accepted as it stopped were
    left to the garbage collector (a flaky ResourceWarning in the mailing worker's tests)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            _stop_while_clients_connect()
            gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []

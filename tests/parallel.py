"""Sending one form from several browsers at the same moment (PostgreSQL tests)."""

import threading

from django.db import connection


def post_together(clients, url, data):
    """POST ``data`` to ``url`` from every client at once, each on its own database connection.

    Returns the responses' ``Location`` headers (or status codes when not a redirect).
    """
    barrier = threading.Barrier(len(clients))
    outcomes = []

    def worker(client):
        try:
            connection.ensure_connection()  # connect first, so the requests really overlap
            barrier.wait()
            response = client.post(url, data)
            outcomes.append(response.get("Location") or response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes

"""Gunicorn settings shared by every web process: https://docs.gunicorn.org/en/stable/settings.html"""

import os

# Two workers with four threads each suit a 2-core laptop; the benchmark prints these.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
# Load the app in the master, then fork the workers: the port opens only once the app
# can answer. Without it a restarted process accepts connections at once and holds
# them for the seconds Django takes to load, where a refused connection would have
# told the client to retry (the chaos lab measured 6.7 s answers). The workers also
# share the loaded code's memory. Nothing may open a connection at import time.
preload_app = True
graceful_timeout = 10
# Seconds an idle keep-alive connection stays open: longer than the services'
# clients keep one in their pools (chassis/http.py's KEEPALIVE_EXPIRY), so that the
# client, never the server, closes an idle connection, and no request is sent into
# one the server is closing.
keepalive = 5
# The access log names the request id, so a line here matches the app's own logs.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
# Gunicorn 24+ opens a control socket at one fixed path per user; two servers on one
# laptop (the monolith and the services) would fight over it, and nothing here uses it.
control_socket_disable = True


def child_exit(server, worker):
    """Let /metrics forget the figures of a worker that has exited."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

"""The application server's settings (gunicorn), read from the environment; the same file for the demo and production.

    gunicorn -c python:motcua.gunicorn_conf motcua.wsgi

`make run` starts it with the demo's settings; production starts the same command with its own environment (see
docs/DEPLOY.md). Variables:
- MOTCUA_BIND: address to listen on (default 127.0.0.1:8000; behind a reverse proxy in production);
- WEB_CONCURRENCY: worker processes (default: one per CPU core, at least 2, at most 8): each serves requests on its
  own core, so the server uses every core despite Python's GIL, and its threads cover the waits on the database.
  More processes than cores only contend for them: on 2 cores shared with PostgreSQL and the workers, 2 processes
  carried 112 intakes/s against 92–99/s with 4, and the status lookup's p99 halved (docs/PERFORMANCE.md);
- MOTCUA_WEB_THREADS: threads per worker (default 2), which is also the size of each worker's PostgreSQL
  connection pool (settings.py), so the database sees at most WEB_CONCURRENCY x MOTCUA_WEB_THREADS connections
  per application node however many clients there are: the others wait in the listen queue, not in PostgreSQL;
- MOTCUA_WEB_TIMEOUT: seconds before a stuck worker is restarted (default 60);
- MOTCUA_ACCESS_LOG: "-" for an access log on standard output (default: none; the reverse proxy keeps one);
- MOTCUA_WEB_MAX_REQUESTS: restart each worker after about this many requests (default 0: never).
"""

import os

_cores = os.cpu_count() or 1

bind = os.environ.get("MOTCUA_BIND", "127.0.0.1:8000")


def default_workers(cores: int = _cores) -> int:
    """Worker processes when WEB_CONCURRENCY is not set: one per core, at least 2, at most 8."""
    return min(max(cores, 2), 8)


workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
# Threaded workers keep idle keep-alive connections off the worker's one request slot and let a request that
# waits on the database yield the core to another one of the same process.
worker_class = "gthread"
threads = int(os.environ.get("MOTCUA_WEB_THREADS") or 2)
timeout = int(os.environ.get("MOTCUA_WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5
backlog = 2048
# Each worker imports the application itself (no preload): database pools and caches are never shared by fork.
preload_app = False
# MOTCUA_WEB_MAX_REQUESTS: restart a worker after about this many requests, a bound on slow memory growth (default
# 0: never; a restart costs a worker about a second of CPU to import the application again).
max_requests = int(os.environ.get("MOTCUA_WEB_MAX_REQUESTS") or 0)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("MOTCUA_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# No control socket (gunicorn 24+): one per user by default, which two servers on one machine would share.
control_socket_disable = True

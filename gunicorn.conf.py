"""gunicorn settings for `make serve` and the benchmark; production reads the same file."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# The usual rule for synchronous workers: two per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
wsgi_app = "newsroom.wsgi:application"
accesslog = os.environ.get("ACCESS_LOG")  # unset: no access log
timeout = 30

"""gunicorn settings for `make serve` and the benchmark; production reads the same file."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# The usual rule for synchronous workers: two per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
wsgi_app = "newsroom.wsgi:application"
accesslog = os.environ.get("ACCESS_LOG")  # unset: no access log
timeout = 30
# A restart (SIGTERM) lets requests in flight finish: a rolling restart
# loses none.
graceful_timeout = 30
# Behind Varnish or a load balancer, the client is the first address in
# X-Forwarded-For; the proxy is %(h)s.
access_log_format = '%({x-forwarded-for}i)s via %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'

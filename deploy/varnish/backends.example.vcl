# The app servers newsroom.vcl balances: copy to backends.vcl, one backend
# per node. Each is probed on /health/alive/ (the process answers): a node
# is left out when it stops answering, never because the database or Redis
# that all nodes share failed (then Varnish answers from what it holds).
probe alive {
    .url = "/health/alive/";
    .interval = 1s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
}

backend node1 { .host = "127.0.0.1"; .port = "8001"; .probe = alive; .connect_timeout = 1s; .first_byte_timeout = 30s; }
backend node2 { .host = "127.0.0.1"; .port = "8002"; .probe = alive; .connect_timeout = 1s; .first_byte_timeout = 30s; }

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(node1);
    nodes.add_backend(node2);
}

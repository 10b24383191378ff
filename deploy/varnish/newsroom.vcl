# Varnish in front of the app servers (README, "Beyond one machine").
# Pages carry surrogate keys in an `xkey` header (articles/keys.py); the
# `deliver` worker soft-purges the keys a change touched (delivery/outbox.py).
#
# Start it with two listeners: readers on one, purges on another that only
# the nodes can reach, e.g.
#   varnishd -a :6081 -a purge=10.0.0.5:6091 -f newsroom.vcl ...
# and set PURGE_URLS=http://10.0.0.5:6091/ on the nodes.
vcl 4.1;

import directors;
import std;
import xkey;

# The app servers: `backend` declarations and a `sub vcl_init` adding each
# to the `nodes` director (see backends.example.vcl).
include "backends.vcl";

# Who may purge, on the purge listener: the nodes running `deliver`.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.restarts == 0) {
        unset req.http.X-Stale-Wanted;  # ours to set (vcl_synth), not a reader's
    }
    if (req.method == "PURGE") {
        # Never through the readers' listener: a TLS proxy on this host
        # would otherwise make every reader a purger.
        if (local.socket != "purge" || client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        }
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (local.socket == "purge") {
        return (synth(404, "Not here"));
    }
    set req.backend_hint = nodes.backend();

    # While the app servers answer, a stale page is served for at most 30 s
    # while a new one is fetched; when they fail (see vcl_synth), for a day.
    if (req.http.X-Stale-Wanted) {
        set req.grace = 24h;
    } elsif (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff are signed in: their pages are their own (and previews).
    if (req.http.Cookie ~ "(^|;\s*)sessionid=" || req.http.Authorization) {
        return (pass);
    }
    # No reader page depends on a cookie: one copy for everyone.
    unset req.http.Cookie;
    # One copy whatever port the reader named (the app keeps pages only for
    # its canonical host: articles/cache.py's is_canonical).
    set req.http.Host = regsub(req.http.Host, ":[0-9]+$", "");

    # Only the parameters pages read, so that made-up ones cannot fill the
    # cache with copies of one page (articles/cache.py's PAGE_PARAMETERS, the
    # search's filters, and the login page's `next`).
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "([?&])(?!(page|p|q|section|from|to|next)=)[^&]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&+", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    # The app's logs and login lockouts read the reader's address from the
    # X-Forwarded-For Varnish adds (settings.TRUSTED_PROXIES).
    return (hash);
}

sub vcl_hash {
    # A page over plain HTTP is a redirect, never the HTTPS page (when a TLS
    # proxy in front says which it was).
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    if (beresp.status >= 500 && bereq.method ~ "^(GET|HEAD)$") {
        # A node that fails: another may not (a 503 says the database is
        # down, which every node shares: not worth a retry).
        if (beresp.status != 503 && bereq.retries < 2 && !bereq.http.X-Stale-Wanted) {
            return (retry);
        }
        # Keep the copy we have: vcl_synth serves it stale.
        if (bereq.is_bgfetch || !bereq.http.X-Stale-Wanted) {
            return (abandon);
        }
        # There was no copy: the app's own error page, not kept.
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    # What the app does not keep (a 404, an address spelled another way)
    # is kept a few seconds at most, and carries no keys to purge it by.
    if (!beresp.http.Cache-Control) {
        set beresp.ttl = 5s;
        set beresp.grace = 0s;
        return (deliver);
    }
    # Pages keep as long as their s-maxage says (articles long, lists
    # short); purges end them sooner. Kept stale for a day for failures.
    set beresp.grace = 24h;
    if (beresp.http.Content-Type ~ "^text/html") {
        # The "Останні новини" sidebar is a fragment of its own (ESI).
        set beresp.do_esi = true;
    }
}

sub vcl_backend_error {
    # A node that does not answer: try another.
    if (bereq.retries < 2 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
    if (bereq.is_bgfetch || !bereq.http.X-Stale-Wanted) {
        return (abandon);
    }
}

sub vcl_synth {
    # Every node failed a reader's page: look again, taking any copy kept
    # in the last day.
    if (resp.status == 503 && req.restarts == 0 && (req.method == "GET" || req.method == "HEAD")) {
        set req.http.X-Stale-Wanted = "1";
        return (restart);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Via;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

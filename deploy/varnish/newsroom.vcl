# Varnish in front of the app servers (README, "Beyond one machine").
# Pages carry surrogate keys in an `xkey` header (articles/keys.py); the
# `deliver` worker soft-purges the keys a change touched (delivery/outbox.py).
vcl 4.1;

import directors;
import std;
import xkey;

# The app servers: `backend` declarations and a `sub vcl_init` adding each
# to the `nodes` director (see backends.example.vcl).
include "backends.vcl";

# Who may purge: the nodes running the `deliver` worker.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        }
        return (synth(200, "Purged " + req.http.n-gone));
    }
    set req.backend_hint = nodes.backend();

    # While the app servers answer, a stale page is served for at most 30 s
    # while a new one is fetched; when none answers, for up to a day.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff are signed in: their pages are their own (and previews).
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # No reader page depends on a cookie: one copy for everyone.
    unset req.http.Cookie;
    # One copy whatever port the reader named (the app keeps pages only for
    # its canonical host: articles/cache.py's is_canonical).
    set req.http.Host = regsub(req.http.Host, ":[0-9]+$", "");

    # Only the parameters pages read, so that made-up ones cannot fill the
    # cache with copies of one page (articles/cache.py's PAGE_PARAMETERS,
    # and the search's filters).
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "([?&])(?!(page|p|q|section|from|to)=)[^&]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&+", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    # The app's logs and login lockouts read the reader's address from the
    # X-Forwarded-For Varnish adds (settings.TRUSTED_PROXIES).
    return (hash);
}

sub vcl_backend_response {
    # A node that fails a read: try another (the director picks the next).
    # A save is never sent twice.
    if (beresp.status >= 500 && bereq.retries < 2 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
    # A background refresh that fails keeps the stale copy.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
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
    if (bereq.retries < 2 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
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

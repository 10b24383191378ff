"""The reader's or editor's address behind proxies (Varnish, a load
balancer): X-Forwarded-For is believed only as far as it was written by
proxies we trust (settings.TRUSTED_PROXIES), so that no one can pick the
address failed logins are counted against (django-axes)."""

import ipaddress

from django.conf import settings


def parsed(text):
    """An address as a proxy may write it: "203.0.113.7", "203.0.113.7:4711",
    "[2001:db8::1]:4711", or an IPv4 address mapped into IPv6; None if it
    is none of those."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def trusted(address):
    return address is not None and any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request):
    """The address nearest to us that is not one of our proxies: each proxy
    appends the address it was reached from, so the entries to the left of
    the last untrusted one are the client's word, not ours."""
    address = parsed(request.META.get("REMOTE_ADDR", ""))
    if not trusted(address):
        return str(address) if address else request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([hop for hop in forwarded.split(",") if hop.strip()]):
        hop = parsed(hop)
        if hop is None:
            break  # garbage in the header: the last proxy's word is all we have
        address = hop
        if not trusted(hop):
            break
    return str(address)

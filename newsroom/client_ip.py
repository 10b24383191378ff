"""The reader's or editor's address behind proxies (Varnish, a load
balancer): X-Forwarded-For is believed only as far as it was written by
proxies we trust (settings.TRUSTED_PROXIES), so that no one can pick the
address failed logins are counted against (django-axes)."""

import ipaddress

from django.conf import settings


def trusted(address):
    try:
        address = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request):
    """The address nearest to us that is not one of our proxies: each proxy
    appends the address it was reached from, so the entries to the left of
    the last untrusted one are the client's word, not ours."""
    address = request.META.get("REMOTE_ADDR", "")
    if not trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        if not trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address  # garbage in the header: the proxy's own address
        address = hop
    return address

"""How allauth fits this site: the client address it counts sign-in attempts against."""

from allauth.account.adapter import DefaultAccountAdapter

from wspolpraca.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The same address as the site's own limits use (see core.ratelimit.client_ip).

        allauth's own reading fails with a server error when X-Forwarded-For has fewer
        entries than TRUSTED_PROXY_COUNT; a request that did not pass our proxies is
        counted against its direct peer instead.
        """
        return client_ip(request)

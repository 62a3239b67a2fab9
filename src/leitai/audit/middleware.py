"""Every change made while a request is served is recorded with the request's user and its method and path."""

from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from .context import serving


class AuditMiddleware:
    """Sync and async: the request is put in a context variable for leitai.audit.context.current()."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        with serving(request):
            return self.get_response(request)

    async def __acall__(self, request):
        with serving(request):
            return await self.get_response(request)

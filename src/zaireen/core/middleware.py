"""Maps the domain errors a service raises to the pages Django already knows how to show."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zaireen.core.errors import NotAllowed, NotFound


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, NotAllowed):
            raise PermissionDenied(exception.message) from exception
        return None

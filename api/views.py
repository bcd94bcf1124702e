from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def not_found(request, *args, **kwargs):
    """Any other address under /api/ answers the API's JSON 404 (after authentication, so an
    anonymous caller learns nothing about which addresses exist), not the site's HTML page."""
    raise NotFound()

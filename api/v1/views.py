"""API v1. Each view validates its input, calls one selector or service and serializes; what a
user may see is decided in api/selectors.py through orgstructure.access."""

from axes.handlers.proxy import AxesProxyHandler
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api import selectors, services
from api.authentication import ExpiringTokenAuthentication, LoginLockedOut
from api.pagination import OrganizationPagination, PersonPagination, TaskPagination
from api.throttling import TokenObtainAddressThrottle, TokenObtainUsernameThrottle

from . import serializers as s

UNAUTHENTICATED = OpenApiResponse(s.ErrorSerializer, description="Требуется аутентификация")
NOT_FOUND = OpenApiResponse(
    s.ErrorSerializer, description="Объект не найден или вне области доступа пользователя"
)
INVALID = OpenApiResponse(s.ValidationErrorSerializer, description="Неверные параметры запроса")
ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer


# No `queryset` attribute on purpose: rows come only from the selectors, which scope them.
# (A comment, not a docstring: docstrings become descriptions in the OpenAPI schema.)
class ListViewSet(viewsets.GenericViewSet):
    def paginated(self, queryset):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Организации в области доступа пользователя",
        tags=["Организации"],
        parameters=[s.OrganizationFilterSerializer],
        responses={200: s.OrganizationSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Организация",
        tags=["Организации"],
        parameters=[ID_PARAMETER],
        responses={200: s.OrganizationSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class OrganizationViewSet(ListViewSet):
    serializer_class = s.OrganizationSerializer
    pagination_class = OrganizationPagination

    def list(self, request):
        filters = _validated(s.OrganizationFilterSerializer, request.query_params)
        return self.paginated(selectors.organization_list(user=request.user, **filters.to_selector_kwargs()))

    def retrieve(self, request, pk=None):
        organization = selectors.organization_get(user=request.user, organization_id=pk)
        return Response(self.get_serializer(organization).data)


@extend_schema_view(
    list=extend_schema(
        summary="Педагогические работники в области доступа пользователя",
        tags=["Педагоги"],
        parameters=[s.PersonFilterSerializer],
        responses={200: s.PersonSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
    retrieve=extend_schema(
        summary="Педагогический работник",
        tags=["Педагоги"],
        parameters=[ID_PARAMETER],
        responses={200: s.PersonSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    ),
)
class PersonViewSet(ListViewSet):
    serializer_class = s.PersonSerializer
    pagination_class = PersonPagination

    def list(self, request):
        filters = _validated(s.PersonFilterSerializer, request.query_params)
        return self.paginated(selectors.person_list(user=request.user, **filters.to_selector_kwargs()))

    def retrieve(self, request, pk=None):
        person = selectors.person_get(user=request.user, person_id=pk)
        return Response(self.get_serializer(person).data)


@extend_schema_view(
    list=extend_schema(
        summary="Мои задачи",
        tags=["Задачи"],
        description=(
            "Открытые задачи, назначенные текущему пользователю; с `queue=true` — также задачи, "
            "которые он может взять в работу (статус NEW)."
        ),
        parameters=[s.TaskFilterSerializer],
        responses={200: s.TaskSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    ),
)
class TaskViewSet(ListViewSet):
    serializer_class = s.TaskSerializer
    pagination_class = TaskPagination

    def list(self, request):
        filters = _validated(s.TaskFilterSerializer, request.query_params)
        include_queue = filters.validated_data["queue"]
        return self.paginated(selectors.task_list(user=request.user, include_queue=include_queue))


class MeView(APIView):
    @extend_schema(
        summary="Текущий пользователь и его роли",
        tags=["Пользователь"],
        responses={200: s.MeSerializer, 401: UNAUTHENTICATED},
    )
    def get(self, request):
        return Response(s.MeSerializer(selectors.me_get(user=request.user)).data)


class TokenObtainView(APIView):
    # POST needs no authentication (and no session, so a signed-in browser is not asked for a
    # CSRF token); DELETE revokes the token it is called with.
    throttle_classes = (TokenObtainAddressThrottle, TokenObtainUsernameThrottle)

    def _method(self):  # None while the OpenAPI schema is generated
        return getattr(getattr(self, "request", None), "method", None)

    def get_authenticators(self):
        return [] if self._method() == "POST" else [ExpiringTokenAuthentication()]

    def get_permissions(self):
        return [] if self._method() == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return super().get_throttles() if self._method() == "POST" else []

    @extend_schema(
        summary="Получить токен доступа",
        tags=["Аутентификация"],
        description=(
            "Дальше передавайте токен в заголовке `Authorization: Token <токен>`. Токен действует "
            "ограниченное время (по истечении получите новый), отзывается запросом DELETE и при "
            "смене пароля. После серии неудачных попыток вход для учётной записи или адреса "
            "временно блокируется (429)."
        ),
        request=s.TokenRequestSerializer,
        responses={
            200: s.TokenResponseSerializer,
            400: OpenApiResponse(s.ValidationErrorSerializer, description="Неверное имя или пароль"),
            429: OpenApiResponse(s.ErrorSerializer, description="Слишком много попыток"),
        },
        auth=[],
    )
    def post(self, request):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        if AxesProxyHandler.is_locked(request, {"username": username}):
            raise LoginLockedOut()
        credentials = s.TokenRequestSerializer(data=request.data, context={"request": request})
        credentials.is_valid(raise_exception=True)
        token = services.token_obtain(user=credentials.validated_data["user"])
        return Response(s.TokenResponseSerializer({"token": token.key}).data)

    @extend_schema(
        summary="Отозвать текущий токен",
        tags=["Аутентификация"],
        description="Токен, переданный в заголовке, перестаёт действовать сразу.",
        request=None,
        responses={204: None, 401: UNAUTHENTICATED},
    )
    def delete(self, request):
        services.token_revoke(user=request.user)
        return Response(status=204)

"""Keyset (cursor) pagination for every list: stable while rows are added, no COUNT(*) and no
deep OFFSET. DRF positions the cursor on the first ordering field and steps over ties by
counting, so each ordering ends with the primary key to make the order total."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = "Курсор страницы: берите из ссылок next и previous"
    page_size_query_description = "Число записей на странице (по умолчанию 50, не больше 200)"

    def decode_cursor(self, request):
        # DRF answers a damaged cursor with 404, which here would read «Объект не найден».
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: ["Неверный курсор страницы"]}) from None


class OrganizationPagination(ApiCursorPagination):
    ordering = ("name", "id")


class PersonPagination(ApiCursorPagination):
    ordering = ("last_name", "first_name", "middle_name", "id")


class TaskPagination(ApiCursorPagination):
    ordering = ("-created", "-id")

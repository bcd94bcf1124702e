"""The ИОМ pages besides the step pages: the dashboard, a request, the two registers (keyset
pages, .xlsx), a route with its design page, the teacher's progress, the curator's caseload and
the round table. Reads through selectors (scoped), writes through one service or flow entry."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common import keyset, spreadsheets
from common.errors import ActionError, add_to_form
from common.http import bytes_attachment, safe_stem, viewable
from documents.selectors import issued_document_list
from orgstructure import access
from orgstructure.models import Municipality, Person, Region, Role
from workflows.core.calendar import local_datetime
from workflows.core.flowkit import flow_url, task_offers, task_url, tasks_for
from workflows.core.state import history_rows
from workflows.core.templatetags.profrost_format import format_local

from . import forms, selectors, services
from .models import Activity, RequestSource, Route, Status

PAGE_SIZE = 50
REQUEST_SOURCES_BY_ROLE = {
    Role.TEACHER: RequestSource.INDIVIDUAL,
    Role.SCHOOL_HEAD: RequestSource.INSTITUTIONAL,
    Role.MUNI_AUTHORITY: RequestSource.MUNICIPAL,
    Role.MMS_METHODIST: RequestSource.MUNICIPAL,
    Role.RMA_MUNI_COORDINATOR: RequestSource.MUNICIPAL,
}


def _flow():
    from .flows import RouteFlow

    return RouteFlow


def url(name, *args) -> str:
    return flow_url(_flow(), name, *args)


def request_sources(user) -> list[str]:
    roles = access.user_roles(user)
    sources = []
    for role, source in REQUEST_SOURCES_BY_ROLE.items():
        if role in roles and source not in sources:
            if role == Role.TEACHER and access.own_person(user) is None:
                continue
            sources.append(source)
    return sources


def is_coordinator(user) -> bool:
    return access.has_role(user, Role.CNPPM_COORDINATOR)


def is_curator_role(user) -> bool:
    return access.has_role(user, Role.CNPPM_METHODIST, Role.RMA_MEMBER)


def index(request):
    user = request.user
    links = []
    if request_sources(user):
        links.append(("request-new", "Подать запрос на сопровождение ИОМ", url("request_new")))
    if access.own_person(user) is not None and access.has_role(user, Role.TEACHER):
        links.append(("my", "Мой маршрут", url("my")))
    if is_curator_role(user):
        links.append(("caseload", "Мои подопечные (маршруты в работе)", url("caseload")))
    links.append(("requests", "Реестр запросов на сопровождение", url("requests")))
    links.append(("routes", "Реестр ИОМ", url("routes")))
    if is_coordinator(user):
        links.append(("round-table", "Экспертный круглый стол и ТОП тематик ИОМ", url("round_table")))
    return render(request, "iom/index.html", {"title": "Индивидуальные образовательные маршруты", "links": links})


# --- request ------------------------------------------------------------------------------------


def _request_persons(user, sources):
    persons = Person.objects.none()
    if RequestSource.INDIVIDUAL in sources:
        persons = persons | Person.objects.filter(pk=access.own_person_id(user))
    if RequestSource.INSTITUTIONAL in sources:
        schools = [m.organization_id for m in access.memberships_with_role(user, Role.SCHOOL_HEAD)]
        persons = persons | Person.objects.filter(organization_id__in=schools)
    if RequestSource.MUNICIPAL in sources:
        municipalities = [
            m.organization.municipality_id
            for m in access.memberships_with_role(
                user, Role.MUNI_AUTHORITY, Role.MMS_METHODIST, Role.RMA_MUNI_COORDINATOR
            )
            if m.organization.municipality_id
        ]
        persons = persons | Person.objects.filter(organization__municipality_id__in=municipalities)
    return persons.filter(user__isnull=False).select_related("organization").order_by("last_name", "first_name", "id")


def request_new(request):
    from .flows import request_submit

    sources = request_sources(request.user)
    if not sources:
        raise Http404("Страница не найдена")
    persons = _request_persons(request.user, sources)
    form = forms.RequestForm(request.POST or None, persons=persons, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = request_submit(
                actor=request.user, source=data["source"], persons=list(data["persons"]), topic=data["topic"]
            )
        except ActionError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, f"Запрос № {created.pk} принят: он в реестре запросов, куратора назначит координатор"
            )
            return HttpResponseRedirect(url("requests"))
    return render(
        request,
        "iom/form.html",
        {
            "title": "Запрос на консультационно-методическое сопровождение ИОМ",
            "intro": "Педагоги в списке — те, у кого есть учётная запись: маршрут разрабатывается вместе с педагогом.",
            "form": form,
            "submit_label": "Подать запрос",
            "back_url": url("index"),
            "multipart": False,
        },
    )


# --- registers ----------------------------------------------------------------------------------


def _municipalities(user):
    regions = {m.organization.region_id for m in access.active_memberships(user)}
    return Municipality.objects.filter(region_id__in=regions).order_by("name")


def _int_or_blank(value):
    return value if (value or "").isdigit() else ""


def _route_filters(request):
    get = request.GET
    status = get.get("status", "")
    return {
        "status": status if status in Status.values else "",
        "municipality": _int_or_blank(get.get("municipality", "")),
        "organization": _int_or_blank(get.get("organization", "")),
        "curator": "me" if get.get("curator") == "me" else "",
        "year": _int_or_blank(get.get("year", "")),
        "number": get.get("number", "")[:40],
    }


def _query(filters, **extra) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in {**filters, **extra}.items() if v})


def routes(request):
    filters = _route_filters(request)
    queryset = selectors.route_register_rows(request.user, **filters)
    page = keyset.page(queryset, selectors.ROUTE_ORDER, cursor=request.GET.get("after", ""), size=PAGE_SIZE)
    chosen = filters["municipality"]
    return render(
        request,
        "iom/routes.html",
        {
            "title": "Реестр ИОМ",
            "page": page,
            "rows": _route_rows(page.rows),
            "filters": filters,
            "filtered": any(filters.values()),
            "statuses": [(value, label, value == filters["status"]) for value, label in Status.choices],
            "municipalities": [
                (str(pk), name, str(pk) == chosen)
                for pk, name in _municipalities(request.user).values_list("pk", "name")
            ],
            "next_url": f"?{_query(filters, after=page.next_cursor)}" if page.next_cursor else "",
            "export_url": f"{url('routes_export')}?{_query(filters)}",
            # «мои как куратора» for those who can be a curator (a methodist, an РМА member)
            "may_curate": request.user.is_superuser or access.has_role(request.user, *services.CURATOR_ROLES),
        },
    )


def _d(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _route_rows(routes) -> list[dict]:
    """The register's rows (selectors.ROUTE_REGISTER_FIELDS values) as text, formatted once in
    Python: Django's date filter costs ~0.1 ms a cell, and the register renders 50 rows × 4 dates
    on every page."""
    base = url("route", 0).rsplit("0/", 1)[0]
    labels = dict(Status.choices)
    rows = []
    for route in routes:
        pk = route["id"]
        number = route["number"] or "—"
        if route["registered_on"]:
            number = f"{number} от {_d(route['registered_on'])}"
        period = f"{_d(route['period_from'])} – {_d(route['period_to'])}" if route["period_from"] else "—"
        status = labels.get(route["status"], route["status"]) + ("; круглый стол" if route["round_table"] else "")
        curator = "не назначен"
        if route["curator_id"]:  # User.get_full_name, else the login
            curator = f"{route['curator__first_name']} {route['curator__last_name']}".strip()
            curator = curator or route["curator__username"]
        person = " ".join(
            part
            for part in (route["person__last_name"], route["person__first_name"], route["person__middle_name"])
            if part
        )
        rows.append({"pk": str(pk), "url": f"{base}{pk}/", "number": number, "person": person,
                     "organization": route["person__organization__short_name"] or route["person__organization__name"],
                     "theme": route["theme"] or "—", "period": period, "status": status, "curator": curator})
    return rows


def routes_export(request):
    filters = _route_filters(request)
    queryset = selectors.route_register_filtered(request.user, **filters).select_related(
        "person__organization__municipality"
    )
    rows = (
        [
            route.number,
            route.registered_on,
            route.person.full_name,
            route.person.organization.short_name or route.person.organization.name,
            route.person.organization.municipality.name if route.person.organization.municipality_id else "",
            route.theme,
            route.period_from,
            route.period_to,
            route.get_status_display(),
            route.curator.get_full_name() if route.curator_id else "",
            "да" if route.round_table else "",
        ]
        for route in queryset.iterator(chunk_size=500)
    )
    header = [
        "№ в реестре",
        "Зарегистрирован",
        "Педагог",
        "Организация",
        "Муниципалитет",
        "Тема",
        "Начало",
        "Окончание",
        "Статус",
        "Куратор",
        "Круглый стол",
    ]
    return spreadsheets.xlsx_response(filename="Реестр ИОМ.xlsx", sheet_title="Реестр ИОМ", header=header, rows=rows)


def _request_filters(request):
    get = request.GET
    source = get.get("source", "")
    return {
        "source": source if source in RequestSource.values else "",
        "municipality": _int_or_blank(get.get("municipality", "")),
    }


def requests(request):
    filters = _request_filters(request)
    queryset = selectors.request_register_filtered(request.user, **filters)
    page = keyset.page(queryset, selectors.REQUEST_ORDER, cursor=request.GET.get("after", ""), size=PAGE_SIZE)
    zones = _region_zones({row.region_id for row in page.rows})
    for row in page.rows:  # formatted once here, in the request's region's zone («МСК+2»)
        row.created_text = format_local(row.created_at, zones.get(row.region_id, settings.TIME_ZONE))
    return render(
        request,
        "iom/requests.html",
        {
            "title": "Реестр запросов на оказание консультационно-методического сопровождения",
            "page": page,
            "filters": filters,
            "sources": RequestSource.choices,
            "municipalities": _municipalities(request.user),
            "next_url": f"?{_query(filters, after=page.next_cursor)}" if page.next_cursor else "",
            "export_url": f"{url('requests_export')}?{_query(filters)}",
            "can_request": bool(request_sources(request.user)),
            "new_url": url("request_new"),
        },
    )


def _region_zones(region_ids=None) -> dict:
    regions = Region.objects.all() if region_ids is None else Region.objects.filter(pk__in=region_ids)
    return dict(regions.values_list("pk", "timezone"))


def requests_export(request):
    queryset = selectors.request_register_filtered(request.user, **_request_filters(request))
    zones = _region_zones()
    rows = (
        [
            r.pk,
            local_datetime(r.created_at, zones.get(r.region_id, settings.TIME_ZONE)),
            r.get_source_display(),
            r.organization.short_name or r.organization.name,
            r.municipality.name if r.municipality_id else "",
            r.topic,
            r.teachers,
            r.assigned,
        ]
        for r in queryset.iterator(chunk_size=500)
    )
    header = [
        "№",
        "Поступил (время региона)",
        "Потребность",
        "Заявитель",
        "Муниципалитет",
        "Тема запроса",
        "Педагогов",
        "Куратор назначен",
    ]
    return spreadsheets.xlsx_response(filename="Реестр запросов.xlsx", sheet_title="Запросы", header=header, rows=rows)


# --- a route --------------------------------------------------------------------------------------


def _documents(user, route):
    from documents.models import IssuedDocument

    return (
        list(
            issued_document_list(user=user)
            .filter(artefact_type=ContentType.objects.get_for_model(Route), artefact_id=str(route.pk))
            .filter(superseded_at__isnull=True)
            .order_by("issued_on", "id")
        )
        if IssuedDocument
        else []
    )


def route_detail(request, pk):
    route = selectors.route_for(request.user, pk)
    tasks = task_offers(request.user, route)  # the self-report waits for every activity's mark
    activity_tasks = {}
    for activity in route.activities.all():
        for task in tasks_for(request.user, activity):
            activity_tasks[activity.pk] = task_url(task)
    context = selectors.route_page_context(route)
    return render(
        request,
        "iom/route.html",
        {
            **context,
            "title": str(route),
            "artefact": route,
            "tasks": tasks,
            "activity_tasks": activity_tasks,
            "may_edit": services.may_edit(request.user, route),
            "design_url": url("design", route.pk),
            "copy_url": url("route_document", route.pk) if route.number else "",
            "documents": [(d, reverse("documents:download", args=[d.pk])) for d in _documents(request.user, route)],
            "history": history_rows(route),
            "back_url": url("routes"),
        },
    )


def _programmes_for(route):
    from programmes.models import Programme

    return Programme.objects.filter(is_active=True).select_related("provider").order_by("title")


def route_design(request, pk):
    """The design page: the teacher and the curator edit at once; each form carries the version it
    was read at, so the later of two concurrent saves is refused with a message (nothing lost)."""
    route = selectors.route_for(request.user, pk)
    if not services.may_edit(request.user, route):
        raise Http404("Страница не найдена")
    programmes = _programmes_for(route)
    initial = {"version": route.version}
    header = forms.RouteHeaderForm(
        initial={
            **initial,
            "period_from": route.period_from,
            "period_to": route.period_to,
            "theme": route.theme,
            "goal": route.goal,
            "planned_results": route.planned_results,
        }
    )
    deficit_form = forms.DeficitForm(initial=initial)
    activity_form = forms.ActivityAddForm(initial=initial, route=route, programmes=programmes)
    updating = request.method == "POST" and request.POST.get("action") == "update_activity"
    editing = _activity_to_edit(route, request.POST.get("target") if updating else request.GET.get("edit"))
    edit_form = (
        forms.ActivityAddForm(initial={**initial, **_activity_initial(editing)}, route=route, programmes=programmes)
        if editing is not None
        else None
    )
    updating_deficit = request.method == "POST" and request.POST.get("action") == "update_deficit"
    deficit = _deficit_to_edit(route, request.POST.get("target") if updating_deficit else request.GET.get("deficit"))
    deficit_edit = _deficit_edit_form(deficit, initial) if deficit is not None else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "header":
                header = forms.RouteHeaderForm(request.POST)
                if header.is_valid():
                    services.route_update(actor=request.user, route=route, **header.cleaned_data)
                    return _saved(request, route, "Цель и период сохранены")
            elif action == "deficit":
                deficit_form = forms.DeficitForm(request.POST)
                if deficit_form.is_valid():
                    services.deficit_add(actor=request.user, route=route, **deficit_form.cleaned_data)
                    return _saved(request, route, "Дефицит добавлен")
            elif action == "activity":
                activity_form = forms.ActivityAddForm(request.POST, route=route, programmes=programmes)
                if activity_form.is_valid():
                    added = services.activity_add(actor=request.user, route=route, **activity_form.cleaned_data)
                    return _saved(request, route, _with_note("Мероприятие добавлено", added))
            elif action == "update_activity":
                edit_form = forms.ActivityAddForm(request.POST, route=route, programmes=programmes)
                if edit_form.is_valid():
                    changed = services.activity_update(
                        actor=request.user, route=route, activity_id=request.POST.get("target", ""),
                        **edit_form.cleaned_data,
                    )
                    return _saved(request, route, _with_note("Мероприятие изменено", changed))
            elif action == "update_deficit":
                deficit_edit = _deficit_edit_form(deficit, initial, request.POST)
                if deficit_edit.is_valid():
                    services.deficit_update(
                        actor=request.user, route=route, deficit_id=request.POST.get("target", ""),
                        **deficit_edit.cleaned_data,
                    )
                    return _saved(request, route, "Дефицит изменён")
            elif action in ("remove_activity", "remove_deficit"):
                version = request.POST.get("version")
                target = request.POST.get("target", "")
                if action == "remove_activity":
                    services.activity_remove(actor=request.user, route=route, version=version, activity_id=target)
                else:
                    services.deficit_remove(actor=request.user, route=route, version=version, deficit_id=target)
                return _saved(request, route, "Удалено")
        except ActionError as exc:
            form = {
                "header": header, "deficit": deficit_form, "activity": activity_form, "update_activity": edit_form,
                "update_deficit": deficit_edit,
            }.get(action)
            if form is None:
                messages.error(request, str(exc))
            else:
                add_to_form(form, exc)
    context = selectors.route_page_context(route)
    return render(
        request,
        "iom/design.html",
        {
            **context,
            "title": f"Разработка маршрута: {route.person}",
            "header": header,
            "deficit_form": deficit_form,
            "activity_form": activity_form,
            "editing": editing,
            "edit_form": edit_form,
            "edit_target": editing.pk if editing is not None else request.POST.get("target", "") if updating else "",
            "edit_url": url("design", route.pk),
            "deficit_editing": deficit,
            "deficit_edit": deficit_edit,
            "deficit_target": deficit.pk if deficit is not None else request.POST.get("target", "")
            if updating_deficit else "",
            "proposals": _proposals(route, programmes),
            "back_url": url("route", route.pk),
        },
    )


def _activity_to_edit(route, pk):
    """The plan line the editor opened for a change (?edit=<id>), if it is still on the route."""
    if not (pk or "").isdigit():
        return None
    return next((activity for activity in route.activities.all() if activity.pk == int(pk)), None)


def _deficit_to_edit(route, pk):
    if not (pk or "").isdigit():
        return None
    return next((deficit for deficit in route.deficits.all() if deficit.pk == int(pk)), None)


def _deficit_edit_form(deficit, initial, data=None):
    """The deficit's form; one a colleague removed meanwhile still takes the editor's input (the
    service then says what happened)."""
    values = {"area": deficit.area, "description": deficit.description, "goal": deficit.goal} if deficit else {}
    return forms.DeficitEditForm(
        data, initial={**initial, **values}, diagnosed=bool(deficit is not None and deficit.diagnosed)
    )


def _activity_initial(activity) -> dict:
    values = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    for name in ("deficit", "provider", "mentor", "programme"):
        values[name] = getattr(activity, f"{name}_id")
    return values


def _proposals(route, programmes) -> list[tuple]:
    """Catalogue programmes that address each deficit (same competency area; the teacher's subject
    first), a few per deficit."""
    subjects = set(route.person.subjects.values_list("pk", flat=True))
    out = []
    for deficit in route.deficits.all():
        found = list(programmes.filter(areas__area=deficit.area).prefetch_related("subjects").distinct()[:20])
        found.sort(
            key=lambda p: (not ({s.pk for s in p.subjects.all()} & subjects), not p.in_federal_register, p.title)
        )
        out.append((deficit, found[:3]))
    return out


def _with_note(text, activity) -> str:
    """«Мероприятие добавлено; 31.01.2027 — выходной день, срок — 01.02.2027»."""
    note = services.moved_due_note(activity)
    return f"{text}; {note}" if note else text


def _saved(request, route, text):
    messages.success(request, text)
    return HttpResponseRedirect(url("design", route.pk))


def route_document(request, pk):
    """The ИОМ document of a registered route with today's «Отметка о выполнении»."""
    route = selectors.route_for(request.user, pk)
    try:
        data = services.route_document_copy(route=route)
    except ActionError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(url("route", route.pk))
    on = services.today_in(route.person.organization.region)
    stem = safe_stem(f"ИОМ № {route.number} — {route.person.last_name} — отметки на {on:%d.%m.%Y}")
    return bytes_attachment(data, filename=f"{stem}.docx")


def evidence(request, pk):
    activity = access.get_for_user_or_404(request.user, Activity.objects.select_related("route"), pk=pk)
    if not activity.evidence:
        raise Http404("Файл не найден")
    extension = activity.evidence.name.rsplit(".", 1)[-1]
    return viewable(activity.evidence, stem=f"Подтверждение {activity.pk}", extension=extension)


# --- the teacher, the curator, the round table -------------------------------------------------------


def my(request):
    routes = list(selectors.own_routes(request.user))
    rows = []
    for route in routes:
        full = selectors.route_for(request.user, route.pk)
        tasks = {}
        for activity in full.activities.all():
            for task in tasks_for(request.user, activity):
                tasks[activity.pk] = task_url(task)
        own = task_offers(request.user, full)
        rows.append(
            {
                "route": full,
                "progress": selectors.progress(full),
                "tasks": tasks,
                "own": own,
                "url": url("route", full.pk),
            }
        )
    return render(request, "iom/my.html", {"title": "Мой маршрут", "rows": rows, "new_url": url("request_new")})


def caseload(request):
    routes = list(selectors.caseload(request.user))
    return render(
        request,
        "iom/caseload.html",
        {
            "title": "Мои подопечные: маршруты в работе",
            "routes": routes,
            "links": {route.pk: url("route", route.pk) for route in routes},
        },
    )


def round_table(request):
    if not is_coordinator(request.user):
        raise Http404("Страница не найдена")
    candidates = list(selectors.round_table_candidates(request.user)[:200])
    return render(
        request,
        "iom/round_table.html",
        {
            "title": "Экспертный круглый стол по результатам реализации ИОМ",
            "candidates": candidates,
            "links": {route.pk: url("route", route.pk) for route in candidates},
            "top": selectors.top_themes(request.user),
            "select_url": url("round_table_select"),
            "export_url": url("top_export"),
        },
    )


@require_POST
def round_table_select(request):
    if not is_coordinator(request.user):
        raise Http404("Страница не найдена")
    ids = [int(v) for v in request.POST.getlist("route") if v.isdigit()]
    chosen = list(selectors.round_table_candidates(request.user).filter(pk__in=ids))
    try:
        count = services.round_table_select(
            actor=request.user, routes=chosen, selected=request.POST.get("selected") != "0"
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Отмечено маршрутов: {count}")
    return HttpResponseRedirect(url("round_table"))


def top_export(request):
    if not is_coordinator(request.user):
        raise Http404("Страница не найдена")
    rows = ([n, theme, count] for n, (theme, count) in enumerate(selectors.top_themes(request.user), start=1))
    return spreadsheets.xlsx_response(
        filename="ТОП ведущих тематик ИОМ.xlsx",
        sheet_title="ТОП тематик",
        header=["№", "Тематика", "Маршрутов"],
        rows=rows,
        column_widths=[6, 50, 12],
    )

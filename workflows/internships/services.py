"""Every write of the selection: one transaction each, through `fire` for the status changes."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from common.uploads import UploadRefused, check_upload
from common.uploads.storage import store
from orgstructure import access
from orgstructure.models import OrganizationKind, Role
from workflows.core.audit import record_event
from workflows.core.flowkit import step_atomic
from workflows.core.state import fire

from . import rules
from .models import Application, ApplicationFile, ApplicationStatus, Call, CallStatus, InternshipEvent, Programme

MAX_FILES = 10


def coordinator_body(actor):
    """The ЦНППМПР in which the actor is a coordinator (the call's organizer), or ActionForbidden."""
    for membership in access.memberships_with_role(actor, Role.CNPPM_COORDINATOR):
        if membership.organization.kind == OrganizationKind.CNPPMPR:
            return membership.organization
    raise ActionForbidden("Объявить отбор площадок может только координатор ЦНППМПР")


@transaction.atomic
def call_open(
    *,
    actor,
    kind,
    title,
    themes,
    applications_due,
    status_from,
    status_to,
    criteria,
    pass_threshold,
    experts_per_application,
    experts_needed,
    spread_limit,
    municipality_conflict=True,
    today: dt.date | None = None,
) -> Call:
    organizer = coordinator_body(actor)
    today = today or timezone.localdate()
    errors = rules.call_period_errors(
        applications_due=applications_due, status_from=status_from, status_to=status_to, today=today
    )
    themes = [theme.strip() for theme in themes if theme.strip()]
    if not themes:
        errors["themes"] = ["Укажите хотя бы одну тему"]
    try:
        scheme = rules.scheme_of(
            criteria, pass_threshold=pass_threshold, experts_needed=experts_needed, spread_limit=spread_limit
        )
        scheme.check_appointment(experts_per_application)
    except ValueError as exc:
        errors["criteria"] = [str(exc)]
    if errors:
        raise InvalidInput(errors)
    call = Call.objects.create(
        region=organizer.region,
        organizer=organizer,
        kind=kind,
        title=title.strip(),
        themes=themes,
        applications_due=applications_due,
        status_from=status_from,
        status_to=status_to,
        criteria=list(criteria),
        pass_threshold=pass_threshold,
        experts_per_application=experts_per_application,
        experts_needed=experts_needed,
        spread_limit=spread_limit,
        municipality_conflict=municipality_conflict,
        created_by=actor,
    )
    record_event(actor=actor, obj=call, event=InternshipEvent.CALL_OPENED, to_state=call.status)
    return call


def _programme_errors(programmes) -> dict[str, list[str]]:
    if not programmes:
        return {"programmes": ["Предложите хотя бы одну программу стажировки"]}
    for number, item in enumerate(programmes, start=1):
        if not all(str(item.get(key) or "").strip() for key in ("theme", "target_group", "format")):
            return {"programmes": [f"Программа {number}: укажите тему, целевую категорию и формат"]}
        hours = item.get("hours")
        if not isinstance(hours, int) or not 1 <= hours <= 500:
            return {"programmes": [f"Программа {number}: объём — от 1 до 500 часов"]}
    return {}


def _store_files(application, files, *, already: int = 0, field: str = "files") -> None:
    if already + len(files) > MAX_FILES:
        raise InvalidInput({field: [f"Не больше {MAX_FILES} файлов к заявке"]})
    for upload in files:
        try:
            checked = check_upload(upload, label="Подтверждающий документ")
        except UploadRefused as exc:
            raise InvalidInput({field: exc.messages}) from exc
        record = ApplicationFile(application=application, original_name=checked.name[:255], extension=checked.extension)
        store(record.file, checked.data)
        record.save()


# the school may still add documents while its application is with the ММС or back for revision
FILES_OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)


@transaction.atomic
def application_file_add(*, actor, application, upload) -> ApplicationFile:
    """A supporting document added to a submitted application by the school's head (the API of a
    school's system): inspected and stored through common.uploads, audited; removed again if the
    transaction rolls back."""
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("organization").get(pk=application.pk)
    )
    if not access.reaches(actor, (Role.SCHOOL_HEAD,), organization=application.organization):
        raise ActionForbidden("Документы к заявке прикладывает руководитель организации")
    if application.status not in FILES_OPEN_STATUSES:
        raise ActionRefused(
            f"Документы прикладываются, пока заявка на согласовании в ММС или на доработке: "
            f"«{application.get_status_display()}»"
        )
    if upload is None:
        raise InvalidInput({"file": ["Приложите файл"]})
    _store_files(application, [upload], already=application.files.count(), field="file")
    record = application.files.latest("pk")
    record_event(
        actor=actor,
        obj=application,
        event=InternshipEvent.FILE_ADDED,
        comment=record.original_name,
        data={"file_id": record.pk},
    )
    return record


@transaction.atomic
def application_submit(
    *,
    actor,
    call,
    organization,
    experience,
    resources,
    programmes,
    files=(),
    curator: str = "",
    today: dt.date | None = None,
) -> Application:
    """A school applies; the flow (flows.start_application) sends it to the ММС for endorsement."""
    if not access.reaches(actor, (Role.SCHOOL_HEAD,), organization=organization):
        raise ActionForbidden("Подать заявку может руководитель организации")
    if organization.region_id != call.region_id:
        raise ActionRefused("Отбор объявлен в другом регионе")
    if not rules.accepts_applications(
        call.status == CallStatus.OPEN, call.applications_due, today or timezone.localdate()
    ):
        raise ActionRefused("Приём заявок на этот отбор завершён")
    errors = _programme_errors(programmes)
    if not experience.strip():
        errors["experience"] = ["Опишите успешный опыт организации"]
    if not resources.strip():
        errors["resources"] = ["Опишите ресурсы организации"]
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                organization=organization,
                experience=experience.strip(),
                resources=resources.strip(),
                curator=(curator or "").strip()[:300],
                submitted_by=actor,
            )
    except IntegrityError as exc:
        raise ActionRefused("Организация уже подала заявку на этот отбор") from exc
    Programme.objects.bulk_create(
        Programme(
            application=application,
            theme=item["theme"].strip(),
            target_group=item["target_group"].strip(),
            format=item["format"].strip(),
            hours=item["hours"],
        )
        for item in programmes
    )
    _store_files(application, list(files))
    record_event(actor=actor, obj=application, event=InternshipEvent.SUBMITTED, to_state=application.status)
    return application


@step_atomic
def application_endorse(*, actor, application) -> Application:
    return fire(application, "endorse", actor=actor, event=InternshipEvent.ENDORSED)


@step_atomic
def application_return(*, actor, application, reason: str) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["Укажите, что нужно доработать"]})
    application.return_reason = reason
    return fire(application, "return_for_revision", actor=actor, event=InternshipEvent.RETURNED, comment=reason)


@step_atomic
def application_resubmit(*, actor, application, experience: str, resources: str) -> Application:
    errors = {}
    if not experience.strip():
        errors["experience"] = ["Опишите успешный опыт организации"]
    if not resources.strip():
        errors["resources"] = ["Опишите ресурсы организации"]
    if errors:
        raise InvalidInput(errors)
    application.experience, application.resources = experience.strip(), resources.strip()
    return fire(application, "resubmit", actor=actor, event=InternshipEvent.RESUBMITTED)

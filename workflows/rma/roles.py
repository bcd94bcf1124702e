"""What each role may do in the РМА flows: this app's part of the kit's role registry
(workflows/core/roles.py), given to `register_process` in apps.py. The kit keeps the shared
groups «Роль: …» in step with memberships; which organization a holder acts for is decided by the
task's organization (the queue) and by permissions.py (the transition)."""

from orgstructure.models import Role

_APPLICATION_FLOW = "view_rmaapplicationprocess"
_LIST_FLOW = "view_rmalistprocess"
_REVIEW_FLOW = "view_rmareviewprocess"
_DOCUMENT_FLOW = "view_rmadocumentprocess"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.TEACHER: ("submit_application", _APPLICATION_FLOW),
    # an РМА member opens РМА pages: her own application, and one where a task is hers
    Role.RMA_MEMBER: (_APPLICATION_FLOW,),
    Role.SCHOOL_HEAD: ("submit_application", _APPLICATION_FLOW),
    Role.RMA_MUNI_COORDINATOR: (
        "submit_application",
        "verify_documents",
        "override_formal_check",
        "review_membership",
        _APPLICATION_FLOW,
        _REVIEW_FLOW,
    ),
    Role.COPMKP_ASSESSOR: ("assess_competencies", _APPLICATION_FLOW),
    Role.CNPPM_COORDINATOR: ("include_in_list", "override_formal_check", _APPLICATION_FLOW, _LIST_FLOW, _DOCUMENT_FLOW),
    Role.MINISTRY_OFFICER: ("prepare_list", _APPLICATION_FLOW, _LIST_FLOW),
    Role.MINISTRY_SIGNATORY: ("approve_list", _APPLICATION_FLOW, _LIST_FLOW),
}

from orgstructure.models import Role

_FLOW = "view_applicationprocess"
_DECISION_FLOW = "view_decisionprocess"
_REPORT_FLOW = "view_sitereportprocess"
_EXPERT_FLOW = "view_expertprocess"
_STATUS_FLOW = "view_statuschangeprocess"
_EXPERT = ("score_application", _EXPERT_FLOW)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.SCHOOL_HEAD: ("revise_application", _FLOW, "submit_site_report", _REPORT_FLOW),
    Role.MMS_METHODIST: ("endorse_application", _FLOW),
    Role.CNPPM_COORDINATOR: (_FLOW, _EXPERT_FLOW, "revise_decision", _DECISION_FLOW, _REPORT_FLOW, _STATUS_FLOW),
    Role.CNPPM_METHODIST: (_FLOW, *_EXPERT),
    Role.IRO_STAFF: (_FLOW, *_EXPERT),
    Role.RMA_MEMBER: (_FLOW, *_EXPERT),
    Role.MINISTRY_OFFICER: (_FLOW, _DECISION_FLOW, _STATUS_FLOW),
    Role.MINISTRY_SIGNATORY: (_FLOW, "sign_decision", _DECISION_FLOW, "sign_status_change", _STATUS_FLOW),
}

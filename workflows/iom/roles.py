from orgstructure.models import Role

_FLOW = "view_routeprocess"
_ACTIVITY_FLOW = "view_activityprocess"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.TEACHER: ("agree_route", _FLOW, _ACTIVITY_FLOW),
    Role.SCHOOL_HEAD: ("endorse_route", _FLOW, _ACTIVITY_FLOW),
    Role.CNPPM_COORDINATOR: ("assign_curator", _FLOW, _ACTIVITY_FLOW),
    Role.RMA_MUNI_COORDINATOR: ("assign_curator", _FLOW, _ACTIVITY_FLOW),
    Role.CNPPM_METHODIST: ("design_route", _FLOW, _ACTIVITY_FLOW),
    Role.RMA_MEMBER: ("design_route", _FLOW, _ACTIVITY_FLOW),
    Role.MUNI_AUTHORITY: (_FLOW,),
    Role.MMS_METHODIST: (_FLOW,),
}

"""Conflicts of interest ruled out from the data, and the proposal of experts by lowest load.

An expert is a `Person` (the one record the region keeps of a teacher or methodist, with their
organization of employment) and, through their user, the organizations they hold a role in. The
kit knows two conflicts by itself:

- employment: the expert is employed by the applicant organization or holds a role in it;
- municipality (when the review's `ConflictPolicy` says so — a small region may have to allow it):
  the expert's organization, or one they hold a role in, lies in the applicant's municipality.

A process adds the ties only it knows (an РМА member attached to the school, a mentor and their
mentee) with `register_tie(code, title, find)` in its AppConfig.ready: `find(persons, organization)`
answers {person id: reason} for the persons it links to the organization. The kit imports no
process; a policy applies every registered tie unless it names the ones it wants. Conflicts an
expert declares are passed in by the process that stores them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from orgstructure.models import Membership, Organization, Person

TieFinder = Callable[[list[Person], Organization], Mapping[int, str]]


@dataclass(frozen=True)
class _Tie:
    code: str
    title: str
    find: TieFinder


_TIES: dict[str, _Tie] = {}


def register_tie(code: str, title: str, find: TieFinder) -> None:
    """Idempotent for the same finder (AppConfig.ready may run twice in tests)."""
    known = _TIES.get(code)
    if known is not None and known.find is not find:
        raise ValueError(f"Связь «{code}» уже зарегистрирована другим процессом")
    _TIES[code] = _Tie(code, title, find)


def unregister_tie(code: str) -> None:
    _TIES.pop(code, None)


def registered_ties() -> dict[str, str]:
    return {code: tie.title for code, tie in _TIES.items()}


@dataclass(frozen=True)
class ConflictPolicy:
    same_organization: bool = True
    same_municipality: bool = True
    ties: tuple[str, ...] | None = None  # None: every registered tie


def _role_organizations(persons: list[Person]) -> dict[int, list[tuple[int, int | None]]]:
    """person id → [(organization id, municipality id)] of the active roles of their user."""
    by_user = {person.user_id: person.pk for person in persons if person.user_id}
    result: dict[int, list[tuple[int, int | None]]] = {}
    rows = Membership.objects.filter(user_id__in=by_user, is_active=True).values_list(
        "user_id", "organization_id", "organization__municipality_id"
    )
    for user_id, organization_id, municipality_id in rows:
        result.setdefault(by_user[user_id], []).append((organization_id, municipality_id))
    return result


def conflicts_of_interest(
    experts: Iterable[Person],
    organization: Organization,
    *,
    policy: ConflictPolicy = ConflictPolicy(),
    declared: Mapping[int, str] | None = None,
) -> dict[int, list[str]]:
    """{person id: [reasons]} for the experts who may not review `organization`'s artefact; the
    others are absent. Three queries whatever the number of experts (plus the ties' own)."""
    persons = list(experts)
    ids = [person.pk for person in persons]
    places = dict(Person.objects.filter(pk__in=ids).values_list("pk", "organization__municipality_id"))
    roles = _role_organizations(persons)
    found: dict[int, list[str]] = {}

    def add(person_id: int, reason: str) -> None:
        reasons = found.setdefault(person_id, [])
        if reason not in reasons:
            reasons.append(reason)

    municipality = organization.municipality_id
    for person in persons:
        held = roles.get(person.pk, [])
        if policy.same_organization and (
            person.organization_id == organization.pk or any(org == organization.pk for org, _ in held)
        ):
            add(person.pk, "работает в организации-заявителе")
        if (
            policy.same_municipality
            and municipality is not None
            and (places.get(person.pk) == municipality or any(muni == municipality for _, muni in held))
        ):
            add(person.pk, "работает в муниципалитете заявителя")
    codes = _TIES.keys() if policy.ties is None else policy.ties
    for code in codes:
        tie = _TIES.get(code)
        if tie is None:
            raise ValueError(f"Связь «{code}» не зарегистрирована")
        for person_id, reason in tie.find(persons, organization).items():
            if person_id in ids:
                add(person_id, reason)
    for person_id, reason in (declared or {}).items():
        if person_id in ids:
            add(person_id, f"заявленный конфликт интересов: {reason}" if reason else "заявленный конфликт интересов")
    return found


@dataclass(frozen=True)
class Proposal:
    person: Person
    load: int


def propose_experts(
    candidates: Iterable[Person],
    organization: Organization,
    *,
    count: int,
    loads: Mapping[int, int],
    policy: ConflictPolicy = ConflictPolicy(),
    declared: Mapping[int, str] | None = None,
    exclude: Iterable[int] = (),
) -> list[Proposal]:
    """Up to `count` candidates without a conflict, the lowest load first (then by name, so the
    proposal is the same on every page load). `loads` is {person id: open reviews}; `exclude`
    the persons already appointed or replaced on this artefact."""
    skip = set(exclude)
    persons = [person for person in candidates if person.pk not in skip]
    ruled_out = conflicts_of_interest(persons, organization, policy=policy, declared=declared)
    free = [person for person in persons if person.pk not in ruled_out]
    free.sort(key=lambda person: (loads.get(person.pk, 0), person.last_name, person.first_name, person.pk))
    return [Proposal(person, loads.get(person.pk, 0)) for person in free[:count]]

"""The registry of processes, and `register_process(...)`: the one call by which a process app
plugs into the kit.

A process's AppConfig.ready calls it once with everything the process contributes::

    class RmaConfig(AppConfig):
        name = "workflows.rma"
        label = "rma"

        def ready(self):
            from workflows.core.processes import ProcessLink, register_process
            from . import deadline_rules, links, roles, tasks
            from .flows import RmaFlow
            from .viewsets import RmaFlowViewset

            register_process(
                self,
                title="Региональный методический актив (РМА)",
                icon="groups",
                flow_viewsets=[RmaFlowViewset(RmaFlow, icon="groups")],
                role_permissions=roles.ROLE_PERMISSIONS,     # role registry (roles.py)
                deadline_rules=deadline_rules.RULES,          # into the profiles (deadline_defaults.py)
                scans=[tasks.LAPSED_CATEGORIES],              # nightly scans (scans.py)
                links=[ProcessLink("Список РМА", url=lambda: links.register_url())],
            )

What each argument does:
* `flow_viewsets` go into the shared «Задачи» section (inbox, queue, archive; project/site.py
  reads them when the URLconf is built) and into the API's task lists.
* `role_permissions` ({role: (codename, …)} of this app's permissions) go to the role registry,
  which keeps the shared groups «Роль: …» in step with memberships (roles.py).
* `deadline_rules` (DeadlineDefault, …) are what `manage.py install_process_deadlines` adds to the
  regional profiles; `rule.due(role)` gives a flow node its `Due`.
* `scans` (ItemScan, …) are listed for `manage.py run_process_scan` and checked against the beat
  schedule (project/celery.py declares when each runs, with its reason).
* `links` are the process's entries on the start page and in the menu; `shell` asks the
  registry (`processes_for(user)`) what a user may open.
* The process's `documents` module, if it has one, is imported so that its document kinds and
  context builders register themselves with `documents/` (documents never imports a process).
* `indicators`: the process's indicators module (workflows/core/indicators.py: its `@indicator`
  functions register when it is imported); the registry notes which codes the process owns.
* `extensions`: {registry name: contributions} for kit registries added later (e.g. indicators):
  a registry announces itself with `register_extension(name, register, unregister)` and gets the
  process code and the contributions, so a new registry needs no change to this signature.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import AppConfig

from . import deadline_defaults as deadline_registry
from . import flows as flow_registry
from . import roles as role_registry
from . import scans as scan_registry


@dataclass(frozen=True)
class ProcessLink:
    """An entry of the process on the start page and in the menu. `url` is a callable (the
    flows learn their place in the site only when the URLconf is built); `visible(user)` says who
    is shown it — by default whoever may open the process (see `RegisteredProcess.is_open_to`)."""

    title: str
    url: Callable[[], str]
    visible: Callable[[object], bool] | None = None
    description: str = ""


@dataclass(frozen=True, eq=False)
class RegisteredProcess:
    code: str
    title: str
    app_label: str
    icon: str = ""
    description: str = ""
    flow_viewsets: tuple = ()
    role_permissions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    deadline_rules: tuple = ()
    scans: tuple = ()
    links: tuple[ProcessLink, ...] = ()
    indicator_codes: tuple[str, ...] = ()
    extensions: Mapping[str, tuple] = field(default_factory=dict)
    position: int = 100

    @property
    def flow_classes(self) -> list:
        return [viewset._flow_class for viewset in self.flow_viewsets]

    @property
    def roles(self) -> list[str]:
        """The roles that act in this process (those its role permissions name)."""
        return list(self.role_permissions)

    def is_open_to(self, user) -> bool:
        """May the user open the process's pages at all: a superuser, or anyone who may view one
        of its flows (the flow's view permission, which the role registry gives the process's
        roles)."""
        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_superuser:
            return True
        return any(flow_class.instance.has_view_permission(user) for flow_class in self.flow_classes)

    def links_for(self, user) -> list[ProcessLink]:
        """The process's links this user is shown (none when the process is closed to them)."""
        opened = None
        shown = []
        for link in self.links:
            if link.visible is not None:
                if link.visible(user):
                    shown.append(link)
                continue
            if opened is None:
                opened = self.is_open_to(user)
            if opened:
                shown.append(link)
        return shown


_PROCESSES: dict[str, RegisteredProcess] = {}
_EXTENSIONS: dict[str, tuple[Callable, Callable]] = {}


def register_extension(name: str, register: Callable[[str, tuple], None],
                       unregister: Callable[[str], None]) -> None:
    """A kit registry that processes contribute to through `register_process(extensions={name: …})`.
    Registries are announced by the kit itself (workflows/core), before the process apps' ready()."""
    _EXTENSIONS[name] = (register, unregister)


def register_process(
    app_config: AppConfig,
    *,
    title: str,
    code: str | None = None,
    icon: str = "",
    description: str = "",
    flow_viewsets: Iterable = (),
    role_permissions: Mapping[str, Iterable[str]] | None = None,
    deadline_rules: Iterable = (),
    scans: Iterable = (),
    links: Iterable[ProcessLink] = (),
    indicators: ModuleType | None = None,
    extensions: Mapping[str, Iterable] | None = None,
    position: int = 100,
) -> RegisteredProcess:
    """Register a process and everything it contributes to the kit; call once from the app's
    AppConfig.ready(). `code` defaults to the app label. Fails loudly when another app holds the
    code, on an unknown role or extension, and on a deadline rule another process already declared
    — start-up errors, not surprises in production. The same app registering again (its ready()
    run again) replaces its registration."""
    code = code or app_config.label
    earlier = _PROCESSES.get(code)
    if earlier is not None and earlier.app_label != app_config.label:
        raise ValueError(f"Процесс «{code}» уже зарегистрирован приложением «{earlier.app_label}»")
    if earlier is not None:
        # Django runs ready() again when INSTALLED_APPS change (tests): the app's new registration
        # replaces its earlier one.
        unregister_process(code)
    if any(other.app_label == app_config.label for other in _PROCESSES.values()):
        raise ValueError(f"Приложение «{app_config.label}» уже зарегистрировало процесс: один процесс на приложение")
    unknown = set(extensions or {}) - set(_EXTENSIONS)
    if unknown:
        raise ValueError(f"{code}: неизвестный реестр {sorted(unknown)[0]!r} в register_process")
    process = RegisteredProcess(
        code=code,
        title=title,
        app_label=app_config.label,
        icon=icon,
        description=description,
        flow_viewsets=tuple(flow_viewsets),
        role_permissions={role: tuple(codenames) for role, codenames in (role_permissions or {}).items()},
        deadline_rules=tuple(deadline_rules),
        scans=tuple(scans),
        links=tuple(links),
        indicator_codes=_indicator_codes(code, indicators),
        extensions={name: tuple(items) for name, items in (extensions or {}).items()},
        position=position,
    )
    # Validate everything before registering anything, so a failed call leaves no half process.
    if process.role_permissions:
        role_registry.register_role_permissions(app_config.label, process.role_permissions)
    try:
        deadline_registry.register_deadline_defaults(code, process.deadline_rules)
        scan_registry.register_scans(process.scans)
        for name, items in process.extensions.items():
            _EXTENSIONS[name][0](code, items)
    except Exception:
        _forget(process)
        raise
    for viewset in process.flow_viewsets:
        flow_registry.register_flow_viewset(viewset)
    _import_documents(app_config)
    _PROCESSES[code] = process
    return process


def unregister_process(code: str) -> None:
    """Take a process out of every registry (tests register small fake processes)."""
    process = _PROCESSES.pop(code, None)
    if process is not None:
        _forget(process)
        for viewset in process.flow_viewsets:
            if viewset in flow_registry.FLOW_VIEWSETS:
                flow_registry.FLOW_VIEWSETS.remove(viewset)


def _forget(process: RegisteredProcess) -> None:
    if process.role_permissions:
        role_registry.unregister_role_permissions(process.app_label)
    deadline_registry.unregister_deadline_defaults(process.code)
    scan_registry.unregister_scans(process.scans)
    for name in process.extensions:
        if name in _EXTENSIONS:
            _EXTENSIONS[name][1](process.code)


def _indicator_codes(code: str, module: ModuleType | None) -> tuple[str, ...]:
    """The codes the module's `@indicator`s registered (they register on import)."""
    if module is None:
        return ()
    from .indicators import registered_indicators

    codes = tuple(ind.code for ind in registered_indicators() if ind.compute.__module__ == module.__name__)
    if not codes:
        raise ValueError(f"{code}: модуль {module.__name__} не зарегистрировал ни одного показателя")
    return codes


def _import_documents(app_config: AppConfig) -> None:
    module = f"{app_config.name}.documents"
    if importlib.util.find_spec(module) is not None:
        importlib.import_module(module)


def processes() -> list[RegisteredProcess]:
    """Every registered process, in the order of `position`, then title."""
    return sorted(_PROCESSES.values(), key=lambda process: (process.position, process.title))


def get_process(code: str) -> RegisteredProcess:
    try:
        return _PROCESSES[code]
    except KeyError:
        raise LookupError(f"Процесс «{code}» не зарегистрирован") from None


def processes_for(user) -> list[tuple[RegisteredProcess, list[ProcessLink]]]:
    """The processes the user may open, each with the links they are shown — what the start page
    and the menu list. Processes with nothing to show the user are left out."""
    listed = []
    for process in processes():
        shown = process.links_for(user)
        if shown:
            listed.append((process, shown))
    return listed

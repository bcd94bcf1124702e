"""Diagnostics of professional deficits (DOMAIN §2(b) step 1, §2(e2)): ЦОПМКП «Проведение
диагностических процедур … с целью анализа профессиональных дефицитов для дальнейшего построения
индивидуального образовательного маршрута» → «База данных по результатам проведения» (003:L1493),
and «справки» about the results (003:L1494). A result is imported from .xlsx or entered by hand;
the ИОМ process reads `selectors.current_diagnosis(person, on_date)`, which reuses a result younger
than the region's setting instead of asking for a new diagnosis.

Its models live in this package and are imported by `workflows/iom/models.py`."""

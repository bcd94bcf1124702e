"""Models of the ИОМ app. The diagnostics models live in `diagnostics/models.py` (the results the
route starts from); the route's own models follow here."""

from .diagnostics.models import (  # noqa: F401
    DiagnosisDeficit,
    DiagnosisImport,
    DiagnosisRegionSettings,
    DiagnosisResult,
    DiagnosisScore,
    DiagnosisSource,
)

"""Expert review of an artefact, for any process (site selection now, professional contests next).

Two halves, neither knowing any process:

- `scoring`: the pure rules — a scheme of criteria with weights and a pass threshold, an expert's
  sheet («не могу оценить» allowed and left out), the weighted rating, the spread between experts,
  completion at k of n;
- `conflicts`: conflicts of interest ruled out from the data (an expert employed by the applicant
  organization, or working in its municipality when the review says so, or linked to it by a tie a
  process registers: РМА membership, mentor–mentee…) plus declared ones, and the proposal of
  candidates with the lowest load.
"""

from .conflicts import (
    ConflictPolicy,
    Proposal,
    conflicts_of_interest,
    propose_experts,
    register_tie,
    registered_ties,
)
from .scoring import (
    NOT_RATED,
    Criterion,
    ReviewOutcome,
    Scheme,
    check_sheet,
    expert_rating,
    review_outcome,
)

__all__ = [
    "NOT_RATED",
    "ConflictPolicy",
    "Criterion",
    "Proposal",
    "ReviewOutcome",
    "Scheme",
    "check_sheet",
    "conflicts_of_interest",
    "expert_rating",
    "propose_experts",
    "register_tie",
    "registered_ties",
    "review_outcome",
]

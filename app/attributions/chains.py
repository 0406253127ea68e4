"""How a statement travelled, as the two values a claim's provenance is counted by in the database.

A claim can carry a hundred thousand statements; its page counts their independent origins and draws
their reporting chains without loading them, by grouping on two columns of `attributions` that are
kept beside the chain itself:
- `first_step_actor_id`: the first intermediary (None when the source heard the speaker directly),
  which with the stance, the speaker and (for a direct statement) the source makes an origin;
- `chain_key`: a digest of the speaker's medium and every step (intermediary and medium, in order),
  equal for two statements exactly when their paths from the speaker to a source are the same.
"""

import hashlib
import json
from collections.abc import Sequence

from app.models import Attribution

DERIVED_COLUMNS = frozenset({"first_step_actor_id", "chain_key"})
"""Left out of audit records: they say nothing the medium and the chain do not."""

Step = tuple[int, str | None]
"""(intermediary's actor id, the medium it used)."""


def chain_key(medium: str | None, steps: Sequence[Step]) -> str:
    """The digest of a path: the speaker's medium, then each intermediary with its medium, in order."""
    canonical = json.dumps(
        [medium, [list(step) for step in steps]], separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.blake2b(canonical.encode(), digest_size=8).hexdigest()


def keep_chain_columns(attribution: Attribution) -> None:
    """Set the chain's two counting columns from the statement's medium and reporting steps.

    Called by every write that sets a statement's medium or chain, after it has set them.
    """
    steps = [(step.actor_id, step.medium) for step in attribution.via]
    attribution.first_step_actor_id = steps[0][0] if steps else None
    attribution.chain_key = chain_key(attribution.medium, steps)

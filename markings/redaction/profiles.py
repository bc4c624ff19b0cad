"""Redaction profiles: the conventions a release of each kind follows.

* ``cables``: the 2010 published cables; fixed-width ``XXXXXXXXXXXX`` source markers, no legal
  basis written, not a government release (no release line expected);
* ``foia``: an agency FOIA release; every redaction shows its exemption, amount shown coarsely,
  classified text must be withheld, the release line is expected (warning when incomplete);
* ``declass``: agency declassification review / MDR; like ``foia`` with a complete
  declassification line required (error) and cancelled overall markings;
* ``archival``: accessioned records and scans; not re-marked (ISOO FAQ), so live banners and
  missing release lines are not findings; markers are reported, not required to carry codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from markings.findings import Severity


@dataclass(frozen=True)
class RedactionProfile:
    """What one redaction profile requires."""

    name: str
    requires_basis: bool  # every marker must carry a legal-basis code (R-MARK-1)
    length_policy: str  # "fixed": one marker width; "coarse": no exact-length markers
    fixed_length: int  # width for the fixed policy
    release: bool  # a document checked under this profile is a release copy
    caveats_cancelled: bool  # overall markings must be lined through (R-REL-2)
    release_line: Severity | None  # severity of an incomplete/missing release line (R-REL-3)
    distant_identifiers: bool  # report identifiers far from any marker (as warnings)
    canonical_family: str  # the marker family the profile prefers (R-MARK-3 message)


PROFILES: dict[str, RedactionProfile] = {
    "cables": RedactionProfile("cables", False, "fixed", 12, False, False, None, False,
                               "x-run"),
    "foia": RedactionProfile("foia", True, "coarse", 0, True, True, Severity.WARNING, True,
                             "bracket-code"),
    "declass": RedactionProfile("declass", True, "coarse", 0, True, True, Severity.ERROR, True,
                                "bracket-code"),
    "archival": RedactionProfile("archival", False, "coarse", 0, False, False, None, False,
                                 "frus"),
}


def get_profile(name: str | None) -> RedactionProfile | None:
    """The profile called ``name`` (None when redaction checks are off or the name is unknown)."""
    return PROFILES.get(name or "")

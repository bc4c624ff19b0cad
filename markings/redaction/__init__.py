"""Redaction and release checks: marker recognition, residue recognisers, deny lists, profiles.

Submodules are imported on demand by the MK7xx rule modules; nothing here is loaded when
``markings`` is imported, so the pre-commit path stays light.

* :mod:`markings.redaction.markers` finds redaction markers (``XXXXXXXXXXXX``, ``[REDACTED]``,
  block characters, FRUS notes) and exemption codes (FOIA ``(b)(n)``, E.O. 13526 ``1.4(x)``,
  ``25X1``, ``50X1-HUM`` ...) and normalises the codes;
* :mod:`markings.redaction.residue` recognises identifiers (e-mail, phone, SSN, IP, card and
  account numbers) with validation;
* :mod:`markings.redaction.denylist` reads and writes salted, hashed deny lists;
* :mod:`markings.redaction.profiles` describes the ``cables``, ``foia``, ``declass`` and
  ``archival`` profiles.
"""

from __future__ import annotations

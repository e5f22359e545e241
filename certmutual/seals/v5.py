"""GM/T 0031-2025 ("v5"): GB/T 38540-2020's layout with version 5 and an optional seal timestamp
(declarations: :mod:`certmutual.asn1.gmt0031_2025`).

Procedure changes over GB/T 38540 (china-specs §4.4, [sourced]): a maker certificate that has expired
or been revoked by the time of use, but was valid at the seal's createDate, is recorded as warnings and
verification continues (chain and key-usage failures stay fatal); the seal's timestamp is verified and
createDate must not be later than its time. Parsing is GB/T 38540's.
"""

from __future__ import annotations

from dataclasses import dataclass

from certmutual.seals.model import SealVersion
from certmutual.seals.v4 import GBT38540_2020


@dataclass(frozen=True)
class GMT0031_2025(GBT38540_2020):
    """GM/T 0031-2025 《安全电子签章密码技术规范》."""

    version: SealVersion = SealVersion.V5
    header_version: int = 5
    maker_grace: bool = True
    seal_timestamp: bool = True


STANDARD = GMT0031_2025()

__all__ = ["GMT0031_2025", "STANDARD"]

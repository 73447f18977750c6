"""Identifiers: the unified social credit code (USCC) and the resident identity card number."""

from anjian.domain.ids.idcard import mask_id_number, validate_id_number
from anjian.domain.ids.result import Validation
from anjian.domain.ids.uscc import validate_uscc

__all__ = ["Validation", "mask_id_number", "validate_id_number", "validate_uscc"]

"""Where a ZIP code lies: its centroid, from the `zipcodes` package (MIT; the coordinates are
GeoNames', CC BY 4.0), which ships the whole USPS list and is refreshed every month upstream."""

from functools import lru_cache

import zipcodes


@lru_cache(maxsize=4096)
def zip_centroid(zip_code: str | None) -> tuple[float, float] | None:
    """(latitude, longitude) of a five-digit ZIP code; None when the package does not know it."""
    if not zip_code or len(zip_code) != 5 or not zip_code.isdigit():
        return None
    try:
        matches = zipcodes.matching(zip_code)
    except ValueError:  # the package's word for a malformed code
        return None
    for match in matches:
        try:
            return float(match["lat"]), float(match["long"])
        except (KeyError, TypeError, ValueError):  # a record without coordinates
            continue
    return None

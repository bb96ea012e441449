"""Where a ZIP code lies: its centroid, from the `zipcodes` package (MIT; the coordinates are
GeoNames', CC BY 4.0), which ships the whole USPS list and is refreshed every month upstream.

Read only by `flask congress sync`, into the zip_places table; the lookup index of each
process takes the centroids from there (index.ZipPlaces, ~0.5 MB). Querying the package itself
loads its whole list into the process for good: ~33 MB in each web worker and Celery process
that placed a supporter (issue 20)."""

from functools import cache


@cache  # a process that syncs once reads the package once (tests sync many times)
def zip_centroids() -> tuple[tuple[str, float, float], ...]:
    """(ZIP code, latitude, longitude) of each five-digit ZIP the package knows with a place."""
    import zipcodes  # here: only the sync needs it

    found = []
    for record in zipcodes.list_all():
        zip_code = record.get("zip_code") or ""
        try:
            latitude, longitude = float(record["lat"]), float(record["long"])
        except (KeyError, TypeError, ValueError):  # a record without coordinates
            continue
        if len(zip_code) == 5 and zip_code.isdigit():
            found.append((zip_code, latitude, longitude))
    return tuple(found)

"""Street address → congressional district: a pluggable provider, and the U.S. Census Geocoder."""

import json
import re
from dataclasses import dataclass
from typing import Protocol

from ..core import http
from .index import District

#: State FIPS codes (as the Census answers them) → USPS abbreviations.
STATE_FIPS = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT",
    "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL",
    "18": "IN", "19": "IA", "20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD",
    "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT", "31": "NE",
    "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND",
    "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
    "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA", "54": "WV",
    "55": "WI", "56": "WY", "60": "AS", "66": "GU", "69": "MP", "72": "PR", "78": "VI",
}
#: Census district codes for a state's single seat: 00 at-large, 98 a delegate's district.
SINGLE_SEAT_CODES = {"00", "98", "AL"}
MAX_ANSWER_BYTES = 1024 * 1024
_DISTRICT_FIELD = re.compile(r"^CD\d{3}$")


class GeocoderError(Exception):
    """The geocoder could not answer: unreachable, too slow, or an answer we can't read."""


@dataclass(frozen=True)
class GeocodeMatch:
    district: District
    matched_address: str
    city: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class Geocoder(Protocol):
    def locate(self, address: str) -> GeocodeMatch | None:
        """The district of a one-line address; None when the address matched nothing.

        Raises GeocoderError when the service fails, times out or answers nonsense.
        """


class CensusGeocoder:
    """The Census Geocoder's `geographies/onelineaddress` (free, no key)."""

    def __init__(self, url: str, *, benchmark: str, vintage: str, timeout: float):
        self.url = url
        self.benchmark = benchmark
        self.vintage = vintage
        self.timeout = timeout

    @classmethod
    def from_config(cls, config) -> "CensusGeocoder | None":
        if not config.get("GEOCODER_URL"):
            return None
        return cls(config["GEOCODER_URL"], benchmark=config["GEOCODER_BENCHMARK"],
                   vintage=config["GEOCODER_VINTAGE"], timeout=config["GEOCODER_TIMEOUT"])

    def locate(self, address: str) -> GeocodeMatch | None:
        if not self.url.startswith(("http://", "https://")):
            raise GeocoderError("the geocoder URL must be http(s)")
        try:
            # No retries: a supporter is waiting, and the candidates are the fallback.
            answer = http.request(
                "GET", self.url, params={"address": address, "benchmark": self.benchmark,
                                         "vintage": self.vintage, "format": "json"},
                headers={"Accept": "application/json"}, timeout=self.timeout, retries=0,
                max_bytes=MAX_ANSWER_BYTES)
        except http.ResponseTooLarge as error:
            raise GeocoderError("geocoder answer too large") from error
        except http.HttpError as error:
            raise GeocoderError(f"geocoder unreachable: {error}") from error
        if not answer.is_success:
            raise GeocoderError(f"geocoder unreachable: HTTP {answer.status_code}")
        body = answer.content
        try:
            payload = json.loads(body)
        except ValueError as error:
            raise GeocoderError("geocoder answer is not JSON") from error
        return parse_census_answer(payload)


def parse_census_answer(payload) -> GeocodeMatch | None:
    """The district in a Census Geocoder answer; None for no match or matches that disagree."""
    try:
        matches = payload["result"]["addressMatches"]
        if not isinstance(matches, list):
            raise TypeError("addressMatches is not a list")
        found = [_read_match(match) for match in matches]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise GeocoderError(f"unexpected geocoder answer: {error!r}") from error
    if not found:
        return None
    if len({match.district for match in found}) > 1:
        # Two readings of the address in different districts: don't guess.
        return None
    return found[0]


def _read_match(match: dict) -> GeocodeMatch:
    geographies = match["geographies"]
    layer = next((value for key, value in geographies.items()
                  if "congressional district" in key.lower()), None)
    if not layer:
        raise KeyError("no congressional district layer")
    entry = layer[0]
    state = STATE_FIPS[str(entry["STATE"])]
    code = next((str(value) for key, value in entry.items() if _DISTRICT_FIELD.match(key)),
                None) or str(entry["BASENAME"])
    number = 0 if code in SINGLE_SEAT_CODES or "at large" in code.lower() else int(code)
    coordinates = match.get("coordinates") or {}
    components = match.get("addressComponents") or {}
    return GeocodeMatch(district=District(state, number),
                        matched_address=str(match.get("matchedAddress") or ""),
                        city=components.get("city") or None,
                        latitude=_number(coordinates.get("y")),
                        longitude=_number(coordinates.get("x")))


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


#: Providers by the name the GEOCODER setting gives.
PROVIDERS = {"census": CensusGeocoder}


def geocoder_from_config(config) -> Geocoder | None:
    """The configured geocoder, or None when none is set up."""
    provider = PROVIDERS.get((config.get("GEOCODER") or "").strip().lower())
    return provider.from_config(config) if provider else None

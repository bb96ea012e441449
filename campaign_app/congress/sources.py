"""Reading the public lookup files: congress-legislators (YAML or JSON) and ZCTA→district CSV."""

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core import http

PUBLISHED = {
    "legislators": "https://unitedstates.github.io/congress-legislators/legislators-current.yaml",
    "offices": "https://unitedstates.github.io/congress-legislators/"
               "legislators-district-offices.yaml",
    "zips": "https://raw.githubusercontent.com/OpenSourceActivismTech/"
            "us-zipcodes-congress/master/zccd.csv",
}
FILE_STEMS = {
    "legislators": "legislators-current",
    "offices": "legislators-district-offices",
    "zips": "zccd",
}
DOWNLOAD_TIMEOUT = 60
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024


class SourceError(Exception):
    """A lookup file is missing, unreadable or not in the expected format."""


@dataclass
class CongressFiles:
    """Where each of the three files comes from: a local path or a URL."""

    legislators: str
    offices: str
    zips: str
    description: str

    @classmethod
    def published(cls) -> "CongressFiles":
        return cls(description="published URLs", **PUBLISHED)

    @classmethod
    def from_location(cls, location: str) -> "CongressFiles":
        """A folder holding the files (searched below it), or a URL base serving them."""
        if location.startswith(("http://", "https://")):
            base = location.rstrip("/")
            return cls(legislators=f"{base}/legislators-current.yaml",
                       offices=f"{base}/legislators-district-offices.yaml",
                       zips=f"{base}/zccd.csv", description=location)
        folder = Path(location).expanduser()
        if not folder.is_dir():
            raise SourceError(f"{location} is not a folder or an http(s) URL")
        found = {}
        for key, stem in FILE_STEMS.items():
            suffixes = (".csv",) if key == "zips" else (".yaml", ".yml", ".json")
            matches = sorted(p for p in folder.rglob(f"{stem}.*") if p.suffix in suffixes)
            if not matches:
                raise SourceError(f"no {stem}{'/'.join(suffixes)} found under {folder}")
            found[key] = str(matches[0])
        return cls(description=str(folder.resolve()), **found)


def read_bytes(location: str) -> bytes:
    if location.startswith(("http://", "https://")):
        try:
            answer = http.request("GET", location, timeout=DOWNLOAD_TIMEOUT, retries=2,
                                  max_bytes=MAX_DOWNLOAD_BYTES)
        except http.ResponseTooLarge as error:
            raise SourceError(f"{location} is larger than {MAX_DOWNLOAD_BYTES} bytes") from error
        except http.HttpError as error:
            raise SourceError(f"could not download {location}: {error}") from error
        if not answer.is_success:
            raise SourceError(f"could not download {location}: HTTP {answer.status_code}")
        return answer.content
    try:
        return Path(location).read_bytes()
    except OSError as error:
        raise SourceError(f"could not read {location}: {error}") from error


def load_records(location: str) -> list[dict]:
    """A congress-legislators file, YAML or JSON, as its list of records."""
    data = read_bytes(location)
    try:
        if location.endswith(".json"):
            records = json.loads(data)
        else:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            records = yaml.load(data, Loader=loader)  # noqa: S506 - a safe loader
    except (ValueError, yaml.YAMLError) as error:
        raise SourceError(f"{location} is not valid YAML/JSON: {error}") from error
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SourceError(f"{location} is not a list of member records")
    return records


def load_zip_rows(location: str) -> list[tuple[str, str, int]]:
    """(zcta, state, district) rows from a `state_fips,state_abbr,zcta,cd` CSV."""
    text = read_bytes(location).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    required = {"state_abbr", "zcta", "cd"}
    if not required <= set(reader.fieldnames or ()):
        raise SourceError(f"{location} lacks the columns {', '.join(sorted(required))}")
    rows = set()
    for line_number, row in enumerate(reader, start=2):
        try:
            zcta = row["zcta"].strip().zfill(5)
            state = row["state_abbr"].strip().upper()
            district = int(row["cd"])
        except (ValueError, AttributeError) as error:
            raise SourceError(f"{location}, line {line_number}: {error}") from error
        if len(zcta) != 5 or not zcta.isdigit() or len(state) != 2:
            raise SourceError(f"{location}, line {line_number}: bad row {row}")
        rows.add((zcta, state, district))
    return sorted(rows)

"""Issue 20, item 4: the lookup index, which every web worker and Celery process holds, costs
what its data needs, and placing a supporter loads nothing more."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from campaign_app.congress.queries import current_index

pytestmark = pytest.mark.full_data

REPO = Path(__file__).resolve().parents[2]

PLACE_A_SUPPORTER = """
import sys
from campaign_app import create_app
from campaign_app.congress.queries import lookup_zip
app = create_app()
with app.app_context():
    senators = {m.last_name: m for m in lookup_zip("90802").senators}
    print(senators["Padilla"].nearest_office(zip_code="90802").city)
    print("zipcodes" in sys.modules)
"""


def test_placing_a_supporter_never_loads_the_zipcodes_package(full_data):
    """Querying the package loads its whole USPS list into the process for good (~33 MB in
    each web worker that showed a call page); the nearest office comes from the index."""
    answer = subprocess.run([sys.executable, "-c", PLACE_A_SUPPORTER], cwd=REPO,  # noqa: S603
                            env=os.environ.copy(), capture_output=True, text=True, timeout=120,
                            check=True).stdout.splitlines()
    assert answer[-2:] == ["Los Angeles", "False"]


def test_the_index_places_cost_what_their_data_needs(full_data, db_session):
    """A ZIP place is 12 bytes (the ZIP as a number, two 32-bit coordinates), only for the
    ZIPs a supporter can be placed by: the ZCTA file's and the territories'."""
    index = current_index()
    places = index.places
    assert 0.95 * len(index.by_zip) <= len(places) <= len(index.by_zip) + 200
    assert places.nbytes == 12 * len(places) < 500_000
    assert index.by_zip.nbytes < 600_000

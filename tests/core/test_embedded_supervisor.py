"""Issue 20, item 4: `flask start` hands over to a supervisor that holds none of the app (the
app and the data loading's leftovers took ~150 MB for as long as the others ran)."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _python(code: str, **env) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO,  # noqa: S603
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120, check=True).stdout.strip()


def test_the_supervisor_loads_none_of_the_app():
    """Importing a module of the package no longer creates, nor imports, the app."""
    loaded = _python("import sys, campaign_app.embedded_run\n"
                     "print(sorted({'flask', 'sqlalchemy', 'celery', 'alembic'} & "
                     "set(sys.modules)))")
    assert loaded == "[]"


def test_the_supervisor_runs_the_commands_without_handing_them_the_staff_password():
    """The spec (with the banner's staff password) comes in the environment, not the
    arguments any local user can read, and the commands it starts do not inherit it."""
    child = [sys.executable, "-c", "import os; print('spec:', os.environ.get("
             "'ALERTA_EMBEDDED_SPEC'))"]
    spec = {"commands": {"one": child}, "catcher": None, "banner": "Alerta is running (pw)"}
    answer = subprocess.run([sys.executable, "-m", "campaign_app.embedded_run"],  # noqa: S603
                            cwd=REPO, env={**os.environ, "ALERTA_EMBEDDED_SPEC": json.dumps(spec)},
                            capture_output=True, text=True, timeout=120)
    assert "Alerta is running (pw)" in answer.stdout
    assert "spec: None" in answer.stdout
    assert "one exited with 0; stopping" in answer.stderr


def test_the_app_loads_alembic_only_to_migrate():
    """Issue 20, item 4: Alembic and Mako (~6.6 MB) stay out of web and worker processes;
    `flask db` and the migrations still find them."""
    loaded = _python("import sys\nfrom campaign_app import create_app\napp = create_app()\n"
                     "with app.test_client() as client:\n"
                     "    client.get('/readyz')\n"
                     "print(sorted({'alembic', 'flask_migrate', 'mako', 'pygments', 'rich'} & "
                     "set(sys.modules)))\n"
                     "print(app.extensions['migrate'].directory)")
    assert loaded.splitlines() == ["[]", str(REPO / "migrations")]
    heads = subprocess.run([sys.executable, "-m", "flask", "--app", "campaign_app", "db",
                            "heads"], cwd=REPO, capture_output=True, text=True, timeout=120,
                           check=True).stdout
    assert "(head)" in heads

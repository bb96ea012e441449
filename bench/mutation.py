"""Mutation testing of the modules that decide whether anything is lost or sent twice.

Runs mutmut (configured under [tool.mutmut] in pyproject.toml) on each named module with the
tests that cover it, in a scratch copy of the working tree, then prints per module how many
mutants were made, killed and survived, and the score; survivors are listed (with their diff
under --show), except those accepted below as equivalent, each with the reason. On SQLite,
mutants of PostgreSQL-only code are counted apart (other-db), out of the score; on
PostgreSQL, those of SQLite-only code.

    python bench/mutation.py                   # every module below
    python bench/mutation.py delivery ratelimit --show
    python bench/mutation.py --database postgresql://postgres@127.0.0.1/alerta_test_mutation
    python bench/mutation.py actions --only '*x_record_call__mutmut_1*'

Not part of CI (a full run takes minutes to tens of minutes). Mutants run one at a time,
since the test session resets its database. The congress data comes from ALERTA_CONGRESS_DATA
or ../shared/data, as for the tests.
"""

import argparse
import dataclasses
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    module: str
    tests: tuple[str, ...]
    #: Load the congress data in each mutant's test session (most of its set-up time).
    congress_data: bool = True
    #: Only the mutants of these functions (mutmut names, fnmatch globs); all when empty.
    functions: tuple[str, ...] = ()


#: The modules where "nothing lost, nothing sent twice" is decided, and the tests that guard
#: them (the fewer tests, the faster each mutant runs).
TARGETS = {
    "delivery": Target("campaign_app/delivery/operations.py", ("tests/delivery",)),
    # The worker tests send through real worker processes, which mutmut cannot see: the
    # batch rules are tested in-process.
    "mailing-batches": Target("campaign_app/mailings/batches.py",
                              ("tests/mailings/test_batch_rules.py",
                               "tests/mailings/test_reminders.py"), congress_data=False),
    "supporters": Target("campaign_app/supporters/operations.py",
                         ("tests/supporters", "tests/actions/test_concurrency.py",
                          "tests/actions/test_action_page.py", "tests/actions/test_privacy.py",
                          "tests/actions/test_address_step.py")),
    # The double-submit guard: the three writes of what a supporter did. The page's own
    # tests (test_action_page.py, the CWC end-to-end tests) are too slow to run per mutant;
    # the rules are tested at the operation level.
    "actions": Target("campaign_app/actions/operations.py",
                      ("tests/actions/test_double_submit.py", "tests/actions/test_action_rules.py",
                       "tests/actions/test_action_records.py"),
                      functions=tuple(f"campaign_app.actions.operations.x_{name}__mutmut_*"
                                      for name in ("record_call", "record_signature",
                                                   "record_email"))),
    "ratelimit": Target("campaign_app/core/ratelimit.py",
                        ("tests/core/test_ratelimit.py", "tests/auth")),
    # The builder: what goes into the XML. The HTTP exchange (_request, send_message, the
    # office list) is tested end to end in tests/delivery/test_cwc.py, too slow to run per
    # mutant; so are test_cwc_rules.py's Hypothesis searches and its tests of the stand-in.
    "cwc": Target("campaign_app/delivery/cwc.py",
                  ("tests/delivery/test_cwc_builder.py",
                   *(f"tests/delivery/test_cwc_rules.py::{test}" for test in (
                       "test_a_well_built_message_is_accepted", "test_bills_are_checked_one_by_one",
                       "test_control_characters_are_cleaned_out_of_every_element",
                       "test_supporters_phones_are_normalized_or_left_out",
                       "test_organization_is_the_full_name_or_left_out",
                       "test_senate_and_territory_offices_are_accepted")),
                   "tests/delivery/test_cwc.py::test_office_codes",
                   "tests/delivery/test_cwc.py::test_error_elements_are_read_from_the_reply",
                   "tests/delivery/test_cwc.py::test_built_xml_follows_the_example_order"),
                  congress_data=False,
                  functions=tuple(f"campaign_app.delivery.cwc.x_{name}__mutmut_*" for name in (
                      "clean_text", "us_phone", "organization_name", "bills_from",
                      "office_code", "campaign_id", "delivery_id", "_add", "_yes_no",
                      "build_message", "parse_errors"))),
    "merge": Target("campaign_app/text/merge.py", ("tests/text",)),
}

#: Survivors that no test can kill because the mutant behaves exactly like the code, with why.
#: Keys are mutmut's mutant names.
_OUTBOX = "campaign_app.delivery.operations."
_LIMITER = "campaign_app.core.ratelimit."
_BATCHES = "campaign_app.mailings.batches."
_CWC = "campaign_app.delivery.cwc."
_MERGE = "campaign_app.text.merge."
_ACTIONS = "campaign_app.actions.operations."
_SUPPORTERS = "campaign_app.supporters.operations."
ACCEPTED: dict[str, str] = {
    _SUPPORTERS + "x__note_differing__mutmut_9":
        "the cut of the noted field names at 200 → 201: every field a submission can differ "
        "in (names, phone, prefix, street, city, ZIP, district, subscription) joins to 77 "
        "characters, so the cut never applies",
    _ACTIONS + "x_record_signature__mutmut_46":
        "the text of the RuntimeError raised when both keys are taken and still no signature: "
        "unreachable, since forms' and the API's keys cannot contain ':' and so never take "
        "'signon:<alert>:<supporter>' (the line is marked 'pragma: no cover')",
    **{_OUTBOX + f"x_claim_delivery__mutmut_{n}":
       "populate_existing changed or dropped: the ORM-enabled UPDATE already brings the "
       "session's copy up to date (synchronize_session='auto'), so the row comes back fresh "
       "either way" for n in (20, 23, 24)},
    _OUTBOX + "x_scrubbed_error__mutmut_3":
        "`known += …` → `known = …` on the first addition: `known` starts empty, so both "
        "hold the supporter's values, to which the submission's are then added alike",
    _OUTBOX + "x_stale_delivery_ids__mutmut_33":
        "< → <= on the stale threshold: differs only within the same microsecond as the "
        "utcnow() the function reads, which a test cannot hit",
    _OUTBOX + "x_stale_delivery_ids__mutmut_38":
        "< → <= on a scheduled retry's time against the stale threshold: differs only "
        "within the same microsecond",
    _OUTBOX + "x_stale_delivery_ids__mutmut_1":
        "limit 500 → 501: a tuning constant of how many rows one sweep takes",
    _OUTBOX + "x_stale_delivery_ids__mutmut_14":
        "< → <= on 'sending for 10 minutes': differs only within the same microsecond as "
        "utcnow(), which a test cannot hit",
    _OUTBOX + "x_stale_delivery_ids__mutmut_24":
        "ORDER BY id dropped: both databases return this small index scan in id order, and "
        "the order only decides which rows a sweep over 500 takes first",
    **{_LIMITER + f"xǁDatabaseCountsǁadd__mutmut_{n}":
       "< → <= on a hit's age when purging: differs only within the same microsecond"
       for n in (11, 15)},
    **{_LIMITER + f"xǁRedisCountsǁ{method}__mutmut_{n}":
       "zremrangebyscore from 0 → from 1: scores are time.time(), decades past 1, so the "
       "same members are removed" for method, n in (("count", 10),)},
    **{_LIMITER + f"xǁRedisCountsǁ{method}__mutmut_{n}":
       "token_hex(4) → another length: the suffix only keeps two hits of the same "
       "microsecond apart as members, which any random suffix does"
       for method, n in (("add", 8), ("add", 9), ("_hit", 15), ("_hit", 16))},
    _LIMITER + "x_limit_key__mutmut_3":
        "lower() → upper(): the key is as case-insensitive either way (only the hash differs)",
    _LIMITER + "xǁDatabaseCountsǁcount__mutmut_11":
        ">= → > on the window's start: differs only within the same microsecond",
    _LIMITER + "x_init_ratelimit__mutmut_6":
        "an unset URL read as 'XXXX' instead of '': neither names Redis, so the database "
        "store is chosen either way",
    **{_BATCHES + f"xǁSentMarksǁ__init____mutmut_{n}":
       "sent_at's bindparam dropped from values(): the execute parameters name the sent_at "
       "column, and SQLAlchemy sets a column its parameters name, so the same UPDATE runs"
       for n in (3, 5)},
    _BATCHES + "xǁSentMarksǁ__init____mutmut_26":
        "isolation_level 'autocommit' for 'AUTOCOMMIT': SQLAlchemy upper-cases the level it "
        "is given (DefaultDialect._assert_and_set_isolation_level)",
    _BATCHES + "x_claim_batch__mutmut_10":
        "ORDER BY id dropped: both databases return these rows in id order from the "
        "mailing/status index, and the order only decides who of a mailing is mailed first",
    **{_BATCHES + name: "the SQL's keywords or setting name in another case: PostgreSQL "
       "reads them case-insensitively" for name in (
           "xǁSentMarksǁ__init____mutmut_29", "xǁSentMarksǁ__init____mutmut_30",
           "xǁSentMarksǁclose__mutmut_4", "xǁSentMarksǁclose__mutmut_5")},
    **{_CWC + f"x_parse_errors__mutmut_{n}": "decode('utf-8') → decode() or decode('UTF-8'): "
       "UTF-8 is bytes.decode's default, and codec names are read case-insensitively"
       for n in (6, 9)},
    **{_MERGE + f"x_position__mutmut_{n}": "count/rfind from None instead of 0: both mean "
       "from the start" for n in (4, 17)},
    _MERGE + "x__escape_html__mutmut_1":
        "always escaped: escape() of a value without &<>\"' is the same text (the check "
        "only spares building a Markup)",
    _MERGE + "x__escape_header__mutmut_2":
        "always substituted: a value without line breaks has nothing to replace",
    _MERGE + "xǁMergeTemplateǁrender__mutmut_28":
        "str() of every value: str() of a str is the same str (the check only spares a call)",
    _MERGE + "x_compile_template__mutmut_13":
        "cursor None instead of 0: slicing and find() read None as the start",
    _MERGE + "x_compile_template__mutmut_86":
        "find()'s end None instead of len(text): both mean up to the end",
    **{_MERGE + f"x__check_unclosed__mutmut_{n}":
       "split's maxsplit dropped or 2: the first part, the only one kept, is the same"
       for n in (22, 27)},
}

#: Mutants of code that runs only on PostgreSQL (the marks' own connection). A SQLite run
#: cannot reach them and leaves them out of its score, in a column of their own (other-db);
#: a run with --database postgresql://… counts them, and tests/mailings/test_batch_rules.py's
#: test_on_postgresql_* tests are there to kill them.
POSTGRESQL_ONLY = {
    # FOR UPDATE SKIP LOCKED: SQLite has neither (test_on_postgresql_a_locked_recipient_…).
    _BATCHES + "x_claim_batch__mutmut_8", _BATCHES + "x_claim_batch__mutmut_25",
    *(_BATCHES + f"xǁSentMarksǁ__init____mutmut_{n}" for n in range(21, 29)),
    *(_BATCHES + f"xǁSentMarksǁ__call____mutmut_{n}" for n in range(12, 17)),
    *(_BATCHES + f"xǁSentMarksǁclose__mutmut_{n}" for n in range(2, 5)),
}

#: The mirror: mutants whose change only SQLite sees, left out of a PostgreSQL run's score
#: (other-db) and counted on SQLite, where they are killed.
SQLITE_ONLY = {
    # The marks in the session's own transaction: SQLite's branch of SentMarks.__call__.
    *(_BATCHES + f"xǁSentMarksǁ__call____mutmut_{n}" for n in range(7, 12)),
    # `self.connection = ""` before the dialect check: PostgreSQL replaces it at once with
    # the marks' own connection; only SQLite keeps it, and then marks on "".
    _BATCHES + "xǁSentMarksǁ__init____mutmut_19",
}

COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "instance", "mutants", "__pycache__",
                                     "*.pyc", ".pytest_cache", ".ruff_cache")


def _scratch_copy(target: Target, workdir: Path) -> Path:
    copy = workdir / "tree"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE, symlinks=True)
    package = target.module.split("/")[0]
    tests = ", ".join(f'"{t}"' for t in target.tests if (REPO / t.split("::")[0]).exists())
    pyproject = copy / "pyproject.toml"
    text = re.sub(r"\n\[tool\.mutmut\].*?(?=\n\[|\Z)", "", pyproject.read_text(), flags=re.S)
    pyproject.write_text(text + f"""
[tool.mutmut]
source_paths = ["{package}"]
only_mutate = ["{target.module}"]
also_copy = ["config.py", "worker", "templates", "migrations"]
pytest_add_cli_args_test_selection = [{tests}]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]
""")
    return copy


def _results(copy: Path, env: dict) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         cwd=copy, env=env, capture_output=True, text=True, check=True).stdout
    results = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            results[name] = status
    return results


def _diff(copy: Path, env: dict, name: str) -> str:
    return subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=copy, env=env,
                          capture_output=True, text=True).stdout


def _without_congress(env: dict, workdir: Path) -> Path:
    """A data folder with the CWC reference files (the tests' stand-in reads its topics
    there) but not the members and districts, so the test session loads no congress data."""
    data = workdir / "no-congress-data"
    data.mkdir()
    cwc = Path(env["ALERTA_CONGRESS_DATA"]) / "cwc"
    if cwc.is_dir():
        (data / "cwc").symlink_to(cwc.resolve())
    return data


def run(name: str, target: Target, *, env: dict, show: bool, postgresql: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"alerta-mutation-{name}-") as workdir:
        if not env.get("CELERY_BROKER_URL"):
            # mutmut runs its stats and clean sessions in one process and forks each mutant's
            # from it, and kombu keeps one engine per broker URL for the process. The tests'
            # own broker file goes with their temporary directory after each session, and
            # the kept engine's connection would then write to a deleted file ("attempt to
            # write a readonly database"): this one lasts as long as the run.
            env = {**env, "CELERY_BROKER_URL": f"sqla+sqlite:///{workdir}/broker.sqlite"}
        if not target.congress_data:
            env = {**env, "ALERTA_CONGRESS_DATA": str(_without_congress(env, Path(workdir)))}
        copy = _scratch_copy(target, Path(workdir))
        run_ = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", "1",
                               *target.functions],
                              cwd=copy, env=env, capture_output=True, text=True, check=False)
        results = _results(copy, env)
        if target.functions:
            results = {m: status for m, status in results.items()
                       if any(fnmatch.fnmatch(m, glob) for glob in target.functions)}
        if "not checked" in results.values():  # the clean run failed: nothing was measured
            sys.exit(f"mutmut could not run {target.module}'s tests cleanly:\n"
                     f"{run_.stdout[-3000:]}{run_.stderr[-3000:]}")
        killed = sum(status in ("killed", "timeout") for status in results.values())
        alive = [m for m, status in results.items() if status not in ("killed", "timeout")]
        accepted = [m for m in alive if m in ACCEPTED]
        other_db = SQLITE_ONLY if postgresql else POSTGRESQL_ONLY
        unreached = [m for m in alive if m in other_db and m not in ACCEPTED]
        survivors = [m for m in alive if m not in ACCEPTED and m not in other_db]
        # Accepted ones too: a change to the module renumbers its mutants, and a reason must
        # still fit the mutant that now bears its number.
        diffs = {m: _diff(copy, env, m) for m in survivors + accepted} if show else {}
    counted = len(results) - len(accepted) - len(unreached)
    return {"module": target.module, "mutants": len(results), "killed": killed,
            "survived": len(survivors), "accepted": len(accepted),
            "other_db": len(unreached),
            "score": killed / counted if counted else 1.0,
            "survivors": {m: results[m] for m in survivors}, "accepted_names": accepted,
            "diffs": diffs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--show", action="store_true",
                        help="print each survivor's diff, and each accepted one's with its "
                             "reason")
    parser.add_argument("--database", help="DATABASE_URL for the tests (default: SQLite)")
    parser.add_argument("--only", action="append", default=[], metavar="GLOB",
                        help="run only these mutants (mutmut names, fnmatch globs), e.g. the "
                             "survivors of an earlier run after adding tests: a test added "
                             "cannot let a killed mutant live")
    args = parser.parse_args()
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.setdefault("ALERTA_CONGRESS_DATA", str(REPO.parent / "shared" / "data"))
    if args.database:
        env["DATABASE_URL"] = args.database
    postgresql = env.get("DATABASE_URL", "").startswith("postgresql")
    rows = [run(name, dataclasses.replace(TARGETS[name], functions=tuple(args.only))
                if args.only else TARGETS[name], env=env, show=args.show, postgresql=postgresql)
            for name in (args.targets or TARGETS)]

    print(f"\n{'module':<42} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} "
          f"{'other-db':>8} {'score':>6}")
    for row in rows:
        print(f"{row['module']:<42} {row['mutants']:>7} {row['killed']:>6} "
              f"{row['survived']:>8} {row['accepted']:>6} {row['other_db']:>8} "
              f"{row['score']:>6.0%}")
    for row in rows:
        for mutant, status in row["survivors"].items():
            print(f"  {status:<10} {mutant}")
            if row["diffs"]:
                print("    " + row["diffs"][mutant].strip().replace("\n", "\n    "))
        if row["diffs"]:
            for mutant in row["accepted_names"]:
                print(f"  accepted   {mutant}: {ACCEPTED[mutant]}")
                print("    " + row["diffs"][mutant].strip().replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    sys.exit(main())

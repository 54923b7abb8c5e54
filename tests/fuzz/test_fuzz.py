"""The fuzz harness's short budget for CI (``tests/fuzz/harness.py`` says what is fuzzed and
the property; ``benchmarks/fuzz.py --cases N`` runs the long one). Seeded: the same cases run
every time, so a failure here is a failure on the next run too."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from tests.fuzz import harness

pytestmark = pytest.mark.sqlite_only

_SHORT = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def world():
    with harness.world() as w:
        yield w


@seed(16)
@_SHORT
@given(case=harness.mutated_file())
def test_every_import_format_reads_or_names_the_problem(world, case):
    name, data = case
    assert harness.check_file_read(world, name, data) is None


@seed(16)
@settings(_SHORT, max_examples=25)
@given(case=harness.mutated_file())
def test_a_refused_import_changes_no_row(world, case):
    name, data = case
    assert harness.check_file_import(world, name, data) is None


@seed(16)
@settings(_SHORT, max_examples=60)
@given(data=st.data())
def test_every_command_answers_or_refuses_clearly(world, data):
    argv = data.draw(harness.cli_args(world))
    assert harness.run_cli(world, argv) is None


@seed(16)
@settings(_SHORT, max_examples=400)
@given(case=harness.typed_case())
def test_every_typed_field_validator_refuses_clearly(case):
    assert harness.check_typed(case) is None

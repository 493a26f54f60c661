import os

import pytest

from iospace import ELF, FLOPPY_BYTES, ISO, Machine


def pytest_addoption(parser):
    parser.addoption("--soak", action="store_true",
                     help="also run the long load tests (make soak)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "soak: a long load test, run only with --soak")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--soak"):
        return
    skip = pytest.mark.skip(reason="a soak test: run with --soak (make soak)")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)


def pytest_sessionstart(session):
    for path in (ELF, ISO):
        if not os.path.exists(path):
            raise pytest.UsageError(f"{path} is missing: run `make` first")


@pytest.fixture
def machine_factory():
    """Boots machines for one test and kills whatever is left after it."""
    machines = []

    def boot(**kwargs):
        m = Machine(**kwargs)
        machines.append(m)
        return m

    yield boot
    for m in machines:
        m.close()


@pytest.fixture(scope="module")
def monitor():
    """One kernel at its prompt, shared by the tests of a module."""
    m = Machine()
    try:
        m.wait_prompt(timeout=30)
        yield m
    finally:
        m.close()


@pytest.fixture(scope="session")
def floppy_image(tmp_path_factory):
    """A 1.44 MB diskette image of random bytes: (path, contents)."""
    data = os.urandom(FLOPPY_BYTES)
    path = tmp_path_factory.mktemp("floppy") / "random.img"
    path.write_bytes(data)
    return str(path), data

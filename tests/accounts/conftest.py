import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """Leave the default language active: a request as a Chinese-reading user activates theirs
    for the rest of the thread, and the tests that run next in the same worker would read it."""
    yield
    translation.deactivate()

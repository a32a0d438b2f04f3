import pytest

from ferrogate.limits.openai_headers import openai_duration


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0.0, "0s"),
        (-1.0, "0s"),
        (0.02, "20ms"),
        (0.0201, "21ms"),
        (0.9999, "1s"),
        (1.0, "1s"),
        (1.2, "1.2s"),
        (59.5, "59.5s"),
        (360.0, "6m0s"),
        (61.25, "1m1.25s"),
        (3600.0, "1h0m0s"),
    ],
)
def test_durations_read_like_openai_and_never_understate_the_wait(seconds, shown):
    assert openai_duration(seconds) == shown

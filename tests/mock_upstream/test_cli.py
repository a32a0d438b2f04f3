def test_help_shows_every_flag_with_its_default_and_env_var(run_mock_cli):
    result = run_mock_cli("--help")

    assert result.returncode == 0
    help_text = " ".join(result.stdout.split())
    for flag, env in [
        ("--host", "FERROGATE_MOCK_HOST"),
        ("--port", "FERROGATE_MOCK_PORT"),
        ("--workers", "FERROGATE_MOCK_WORKERS"),
        ("--latency-ms", "FERROGATE_MOCK_LATENCY_MS"),
        ("--chunk-delay-ms", "FERROGATE_MOCK_CHUNK_DELAY_MS"),
        ("--stream-chunks", "FERROGATE_MOCK_STREAM_CHUNKS"),
        ("--fault-rate", "FERROGATE_MOCK_FAULT_RATE"),
        ("--fault-status", "FERROGATE_MOCK_FAULT_STATUS"),
        ("--fault-retry-after", "FERROGATE_MOCK_FAULT_RETRY_AFTER"),
        ("--jitter-ms", "FERROGATE_MOCK_JITTER_MS"),
        ("--first-token-ms", "FERROGATE_MOCK_FIRST_TOKEN_MS"),
        ("--first-token-rate", "FERROGATE_MOCK_FIRST_TOKEN_RATE"),
        ("--reset-rate", "FERROGATE_MOCK_RESET_RATE"),
        ("--cut-after", "FERROGATE_MOCK_CUT_AFTER"),
        ("--cut-rate", "FERROGATE_MOCK_CUT_RATE"),
        ("--seed", "FERROGATE_MOCK_SEED"),
    ]:
        assert flag in help_text
        assert env in help_text
    assert "(default: 8)" in help_text


def test_env_var_value_is_shown_as_the_default(run_mock_cli):
    result = run_mock_cli("--help", env={"FERROGATE_MOCK_LATENCY_MS": "25"})

    assert "(default: 25)" in " ".join(result.stdout.split())


def test_invalid_env_value_is_rejected_like_a_bad_flag(run_mock_cli):
    result = run_mock_cli(env={"FERROGATE_MOCK_STREAM_CHUNKS": "0"})

    assert result.returncode == 2
    assert "--stream-chunks" in result.stderr


def test_fault_rates_adding_up_past_one_are_rejected(run_mock_cli):
    result = run_mock_cli("--fault-rate", "0.7", "--reset-rate", "0.5")

    assert result.returncode == 2
    assert "fault_rate + reset_rate" in result.stderr


def test_a_fault_rate_outside_zero_to_one_is_rejected(run_mock_cli):
    result = run_mock_cli(env={"FERROGATE_MOCK_FAULT_RATE": "1.5"})

    assert result.returncode == 2
    assert "--fault-rate" in result.stderr

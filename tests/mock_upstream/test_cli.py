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

pytest_plugins = ["tests.infra.redis_fixture"]

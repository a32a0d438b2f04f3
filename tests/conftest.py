import os

from hypothesis import settings

pytest_plugins = ["tests.infra.redis_fixture"]

# No per-example deadline: these machines are shared and noisy, and speed is measured
# in bench/, not asserted in tests. In CI the examples are derandomised so a submission's
# result does not depend on the luck of the draw; locally they stay random to explore.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "local")

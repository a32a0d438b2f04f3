"""The one error the benchmark reports to the user instead of a traceback."""


class BenchError(Exception):
    """A setup failure with a message the user can act on."""

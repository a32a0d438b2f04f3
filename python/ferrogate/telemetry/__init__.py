"""What the gateway did, for operators: metrics, traces and the usage log.

Every request fills one `RequestRecord`; when it ends (the answer sent, or the stream
finished however it finished) the record goes to each sink, off the request path.
"""

from .record import RequestRecord

__all__ = ["RequestRecord"]

"""The figures behind the dashboard: the last fifteen minutes of traffic, from every worker.

`StatsRecorder` is a telemetry sink; `summarize` turns every worker's slots into the JSON
of /admin/stats. Nothing here imports the server.
"""

from .boards import Board, FolderBoard, OwnBoard, RedisBoard
from .recorder import StatsRecorder
from .summary import summarize

__all__ = ["Board", "FolderBoard", "OwnBoard", "RedisBoard", "StatsRecorder", "summarize"]

"""The parts of bench/load.py: tools, processes, targets, wrk runs and the report.

Imported as the top-level package `loadkit`: scripts in bench/ find it because Python
puts a script's own folder first on sys.path.
"""

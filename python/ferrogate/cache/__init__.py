"""The response cache: exact, L1 semantic (hnswlib in process), L2 semantic (Redis Stack)."""

"""What every Redis-backed store shares: its client and how it backs off while Redis is down."""

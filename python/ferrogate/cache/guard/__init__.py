"""The hit guard: numbers, names, negation and order must agree before a semantic hit is served."""

from ferrogate.cache.guard.guard import RULES, GuardVerdict, HitGuard

__all__ = ["RULES", "GuardVerdict", "HitGuard"]

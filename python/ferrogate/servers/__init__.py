"""HTTP front ends. Each only translates its server's objects to the core's values and back."""

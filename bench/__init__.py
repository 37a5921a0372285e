"""Dataset generator and benchmarks (see README.md)."""

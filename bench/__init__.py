"""The performance benchmark: a corpus generator and a runner (see docs/performance.md)."""

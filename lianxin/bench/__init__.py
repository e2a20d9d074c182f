"""Benchmarks that anyone can rerun against a real PostgreSQL database and a real HTTP server.

They are not tests: `python -m lianxin.bench.orders_api --help` (see docs/benchmarks.md).
"""

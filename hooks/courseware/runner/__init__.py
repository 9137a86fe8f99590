"""Run example code at build time: a warm Django parent forks a sandboxed session per page."""

from .client import BlockResult, Runner, RunnerError
from .sandbox import Limits

__all__ = ["BlockResult", "Limits", "Runner", "RunnerError"]

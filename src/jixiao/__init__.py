"""jixiao (绩效): performance self-evaluation reports into a comparison warehouse."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jixiao")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

"""motcua — the electronic one-stop system of a Vietnamese Public Administration Center."""

__version__ = "0.1.0"

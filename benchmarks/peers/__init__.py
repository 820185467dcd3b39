"""Peer detectors for the surge benchmark, each as ``score(seconds, values) -> scores in 0..1``."""

"""Word lists the verifier and the revision finder read through importlib.resources."""

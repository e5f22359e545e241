"""One blueprint per resource; views parse input, call the Verifier, audit, return ``to_dict()``."""

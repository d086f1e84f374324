#!/usr/bin/env python3
"""Build the knowledge graph: the same as `kg build` (takes the same arguments)."""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.argv[0] = "kg"
    main(["build", *sys.argv[1:]])

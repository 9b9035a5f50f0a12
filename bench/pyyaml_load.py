#!/usr/bin/env python3
"""The peer of bench/check.sh: load every YAML file of a folder with PyYAML's
libyaml-based CSafeLoader and keep the results, as a script reading a data
folder would. No record rules are applied."""
import os
import sys

import yaml

folder = sys.argv[1]
records = []
for name in sorted(os.listdir(folder)):
    if name.endswith(".yaml"):
        with open(os.path.join(folder, name), "rb") as f:
            records.append(yaml.load(f, Loader=yaml.CSafeLoader))
print(len(records), "files loaded", file=sys.stderr)

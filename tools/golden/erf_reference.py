#!/usr/bin/env python3
"""Reference values of erf and erfc for packages/ops/src/kernels/erf.test.ts.

Python's math.erf and math.erfc call the C library's, accurate to about one unit in the last
place. Run from anywhere: python3 tools/golden/erf_reference.py
"""
import json
import math
import os
import random
import sys

random.seed(13)
xs = [0.0, 1e-300, 1e-10, 1e-5, 0.1, 0.5, 1.0, 1.4999, 1.5, 2.0, 2.4999, 2.5, 2.9999, 3.0, 3.0001, 4.0, 5.0, 6.0, 10.0, 26.0, 27.5]
xs += [round(random.uniform(0, 6), 6) for _ in range(60)]
# Region boundaries of the rational approximations in erf.ts (0.46875 and 4), the neighbouring
# doubles on both sides, where erf rounds to 1 (~5.93), and the far tail of erfc down to 1e-300.
for b in [0.46875, 4.0, 5.9, 6.0]:
    xs += [math.nextafter(b, 0), math.nextafter(b, 10), b - 1e-6, b + 1e-6]
xs += [0.46, 0.47, 0.48, 0.75, 3.9, 4.1, 4.5, 7.5, 9.0, 12.0, 15.0, 20.0, 24.0, 25.0, 26.3]
xs += [round(random.uniform(0, 0.5), 6) for _ in range(20)]
xs += [round(random.uniform(4, 26.3), 4) for _ in range(20)]
xs = xs + [-x for x in xs if x != 0]
rows = [[x, math.erf(x), math.erfc(x)] for x in xs]
out = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "ops", "src", "kernels", "erf-reference.json")
with open(out, "w") as f:
    json.dump({"generator": "Python %s math.erf / math.erfc (C library)" % sys.version.split()[0], "rows": rows}, f)

#!/usr/bin/env python3
"""Runs the SDK's test suite with unittest (no PyPI needed).

    /usr/bin/python3 sdk/python/run_tests.py [-v] [-k PATTERN]

The tests start a real `gantry serve` (GANTRY_DLL, else src/Gantry.Cli/bin/Debug/net10.0/gantry.dll,
built if missing). The last line is "python: N passed, N failed, N skipped"; with GANTRY_TEST_COUNTS
set, the counts are also written there as JSON. Exits non-zero when anything failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("-k", dest="patterns", action="append", help="only tests whose name contains this")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE / "tests"))
    sys.path.insert(0, str(HERE))
    loader = unittest.TestLoader()
    if args.patterns:
        loader.testNamePatterns = [f"*{p}*" for p in args.patterns]
    suite = loader.discover(str(HERE / "tests"), top_level_dir=str(HERE / "tests"))
    runner = unittest.TextTestRunner(verbosity=2 if args.verbose else 1)
    try:
        result = runner.run(suite)
    finally:
        import support

        support.stop_shared_gateway()

    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    skipped = len(result.skipped)
    passed = result.testsRun - failed - skipped
    counts_path = os.environ.get("GANTRY_TEST_COUNTS")
    if counts_path:
        Path(counts_path).write_text(json.dumps({"passed": passed, "failed": failed, "skipped": skipped}))
    for test, reason in result.skipped:
        print(f"skipped {test.id()}: {reason}")
    print(f"python: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or result.testsRun == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

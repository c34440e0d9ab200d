"""`python -m nodecomp ...` runs the command line (the same as the `nodecomp` command)."""

import sys

from nodecomp.cli.main import main

sys.exit(main())

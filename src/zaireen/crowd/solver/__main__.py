"""`python -m zaireen.crowd.solver solve|check|generate …` without Django."""

import sys

from .cli import main

sys.exit(main())

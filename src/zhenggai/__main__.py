import os
import sys

from zhenggai.cli import main

# Files the process makes are its user's alone (settings.py sets the same for the
# `zhenggai` command, which starts in cli.py).
os.umask(0o077)
sys.exit(main())

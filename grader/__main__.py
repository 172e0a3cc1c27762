import os
import sys

from grader.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)  # skip tearing down numpy and pytest: nothing is left to write

import os
import sys

from grader.cli import main

try:
    code = main()
except BrokenPipeError:  # the reader went away (| head)
    code = 1
try:
    sys.stdout.flush()
    sys.stderr.flush()
except BrokenPipeError:  # the reader went away (| head): nothing more to say
    pass
os._exit(code)  # skip tearing down numpy and pytest: nothing is left to write

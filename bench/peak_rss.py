"""Runs a command and prints its peak resident memory (the largest of its process tree's children,
as getrusage reports it). Usage: python3 peak_rss.py COMMAND..."""
import resource
import subprocess
import sys

code = subprocess.call(sys.argv[1:])
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"RESULT peak_rss_mb {peak_mb:.0f}")
sys.exit(code)

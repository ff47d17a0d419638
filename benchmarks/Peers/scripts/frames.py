"""Reads `perf script` output on stdin; prints the frames with the largest inclusive and exclusive share of samples.

Used by profile.sh. A frame's name is shortened to its method (type and method, no arguments, no module); a frame that
appears several times in one stack counts once for that stack (inclusive).
"""
import re
import sys
from collections import Counter

TOP = int(sys.argv[1]) if len(sys.argv) > 1 else 45


def name(line):
    parts = line.strip().split(None, 1)
    if len(parts) < 2:
        return None
    symbol = re.sub(r"\s*\(\S+\)\s*$", "", parts[1])  # the module in parentheses
    symbol = re.sub(r"\[OptimizedTier1\]|\[Optimized\]|\[Tier0\]|\[Tier1\]|\[QuickJitted\]|\[PreJIT\]|\[OSR\]", "", symbol)
    symbol = re.sub(r"\(.*\)$", "", symbol.strip())  # the arguments
    return symbol[:140] or None


samples = [s for s in sys.stdin.read().split("\n\n") if s.strip()]
inclusive, exclusive = Counter(), Counter()
for sample in samples:
    frames = [n for n in (name(l) for l in sample.split("\n")[1:]) if n]
    if not frames:
        continue
    exclusive[frames[0]] += 1
    for f in set(frames):
        inclusive[f] += 1

total = len(samples) or 1
print(f"   {len(samples)} samples")
print("   inclusive (share of samples whose stack contains the frame):")
for f, n in inclusive.most_common(TOP):
    print(f"   {100 * n / total:5.1f} %  {f}")
print("   exclusive (share of samples in the frame itself):")
for f, n in exclusive.most_common(TOP // 2):
    print(f"   {100 * n / total:5.1f} %  {f}")

#!/usr/bin/env python3
"""A reward program for `lfp train --reward-command` (protocol: README.md in this folder).

Reads one JSON request per line on stdin and answers one JSON line per request on stdout.
Only the Python standard library is used.

It computes Table 2 #3 of the LFP paper, r_c = o_c * (y_c - softmax(o)_c), with `math`
(optionally at a softmax temperature), so with the default temperature it reproduces lfp's
built-in `softmax-ce` reward. Targets other than class labels are answered with an error.
"""
import argparse
import json
import math
import sys


def softmax_ce(outputs, classes, temperature):
    rewards = []
    for row, label in zip(outputs, classes):
        peak = max(row)
        exps = [math.exp((v - peak) / temperature) for v in row]
        total = sum(exps)
        rewards.append([v * ((1.0 if c == label else 0.0) - e / total)
                        for c, (v, e) in enumerate(zip(row, exps))])
    return rewards


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--temperature", type=float, default=1.0, help="softmax temperature (1)")
    args = parser.parse_args()
    for line in sys.stdin:
        request = json.loads(line)
        targets = request["targets"]
        if targets["kind"] != "classes":
            answer = {"error": "softmax_reward.py needs class targets, got " + targets["kind"]}
        else:
            answer = {"rewards": softmax_ce(request["outputs"], targets["classes"], args.temperature)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Shrinks the corpora to what is committed: after `run-all.sh`, each target's corpus is
merged (libFuzzer's -merge=1, keeping the inputs that add coverage) into a scratch directory,
and the committed corpus becomes the seeds (`seed-corpus.py`) plus the 150 smallest merged
inputs of at most 16 KiB: a few MB in all, where the merged corpora run to tens of MB."""

import os, pathlib, shutil, subprocess, tempfile

FUZZ = pathlib.Path(__file__).resolve().parent
BIN = FUZZ / "target" / "x86_64-unknown-linux-gnu" / "release"
KEEP, MAX_SIZE = 150, 16384

scratch = pathlib.Path(tempfile.mkdtemp())
seeds = scratch / "seeds"
source = (FUZZ / "seed-corpus.py").read_text().replace(
    'OUT = ROOT / "fuzz" / "corpus"', f'OUT = pathlib.Path("{seeds}")')
exec(compile(source, "seed-corpus.py", "exec"),
     {"__name__": "__main__", "__file__": str(FUZZ / "seed-corpus.py")})
for target in sorted(os.listdir(FUZZ / "corpus")):
    merged = scratch / "merged" / target
    merged.mkdir(parents=True)
    subprocess.run([BIN / target, "-merge=1", "-max_len=32768", "-rss_limit_mb=4096",
                    merged, FUZZ / "corpus" / target],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kept = FUZZ / "corpus" / target
    shutil.rmtree(kept)
    kept.mkdir()
    for seed in (seeds / target).iterdir() if (seeds / target).exists() else []:
        shutil.copy(seed, kept / seed.name)
    grown = sorted((p for p in merged.iterdir()
                    if not (kept / p.name).exists() and p.stat().st_size <= MAX_SIZE),
                   key=lambda p: (p.stat().st_size, p.name))
    for path in grown[:KEEP]:
        shutil.copy(path, kept / path.name)
    print(target, len(os.listdir(kept)))
shutil.rmtree(scratch)

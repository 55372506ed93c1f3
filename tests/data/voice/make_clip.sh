#!/usr/bin/env bash
# Rebuilds answer.wav (committed; tests read it, they never run this): two sentences spoken by espeak-ng
# with fillers ("um", "uh", "you know"), a 2.5 s pause between them, and "like" used as a comparison
# rather than a filler. 16 kHz mono 16-bit. Needs espeak-ng and sox.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en-us -s 150 -w "$tmp/a.wav" "$(sed -n 1p answer.txt)"
espeak-ng -v en-us -s 150 -w "$tmp/b.wav" "$(sed -n 2p answer.txt)"
sox "$tmp/a.wav" -r 16000 "$tmp/a16.wav"
sox "$tmp/b.wav" -r 16000 "$tmp/b16.wav"
sox -n -r 16000 -c 1 -b 16 "$tmp/pause.wav" trim 0 2.5
sox -n -r 16000 -c 1 -b 16 "$tmp/edge.wav" trim 0 0.5
sox "$tmp/edge.wav" "$tmp/a16.wav" "$tmp/pause.wav" "$tmp/b16.wav" "$tmp/edge.wav" answer.wav

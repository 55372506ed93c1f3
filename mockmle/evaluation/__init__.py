"""Measuring a judge on answers it was not shaped on: `mockmle calibrate` and `make eval`.

- `datasets`: the project's calibration set, split once and for all by question into a
  development part (tuned on) and a test part (reported), and two outside datasets read from a
  local cache folder (Mohler et al. 2011, SAF), each as rows of answer + human score.
- `baselines`: plain scorers that fit nothing (answer length, TF-IDF cosine, keyword recall),
  run on the same rows, so the judge's figures always come with something to beat.
- `run`: grades every row with a judge, times it, and computes the agreement figures.
- `report`: the table as text, Markdown (for the README) or JSON.

Headless: no Textual, OpenAI SDK or sounddevice imports here; the LLM judge is passed in.
"""

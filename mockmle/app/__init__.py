"""The application layer: the use cases the shells (`mockmle.cli`, `mockmle.tui`) call.

`services` builds everything once from the settings (store, bank, judges, model clients), lazily, so a command
pays only for what it uses. The other modules are one use case each: run an interview (`runner`), write its
debrief (`debrief`), ask a model for a second opinion, export a session, write a history report, choose a
drill, build the progress view, check the setup (`doctor`), wipe the data home (`data_home`), transcribe a
recording (`transcription`). A new thing a candidate can do starts here, as a function or class taking typed
services, and both shells call it; the shells never open the store or a model client themselves
(tests/test_layers.py keeps that rule).
"""

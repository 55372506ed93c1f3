"""The application layer: the use cases the shells (`mockmle.cli`, `mockmle.tui`) call.

`services` builds everything once from the settings (store, bank, judges, model clients); the other modules
are one use case each: run an interview (`runner`), ask a model for a second opinion, export a session,
write a history report, choose a drill, build the progress view, check the setup (`doctor`).
The shells import from here and from the headless core's models; they never open the store or a model
client themselves (tests/test_layers.py keeps that rule).
"""

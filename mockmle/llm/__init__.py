"""The model side of mockmle: the OpenAI SDK behind ChatClient, the LLM judge and interviewer.

Imported only when a model is configured; the headless core never imports this package.
"""

"""The full-screen app. Imported only when it is started, so the CLI stays fast."""

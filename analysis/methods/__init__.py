"""The analyses: pure functions and result objects. Nothing here imports IPython or the build."""

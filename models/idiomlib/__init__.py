"""The idiom suite: each recommendation building block written in several PyTorch idioms."""

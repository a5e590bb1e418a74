"""Chinese word segmentation (jieba), loaded lazily and once per user of it."""

import logging
import threading


class PrivateTokenizer:
    """A jieba tokenizer of one's own, built on first use (its dictionary loads once, ≈ 0.5 s).

    Private because jieba's words are global per tokenizer: the triage adds its keywords to its own,
    and that must never change how the FAQ search or the survey terms segment text.
    """

    def __init__(self):
        self._tokenizer = None
        self._lock = threading.Lock()

    def get(self):
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    self._tokenizer = tokenizer
        return self._tokenizer

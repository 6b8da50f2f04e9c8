"""Choose eyecite's tokenizer.

Hyperscan compiles all reporter regexes into one database and tokenizes several times faster,
but on eyecite 2.7.8 it misses short cites written with a spaced reporter and a comma
("438 U. S., at 311"), which Supreme Court opinions use throughout. The extractor therefore
runs a small pass of its own for such short forms (`extract._missed_short_cites`), so both
tokenizers give the same references on our corpus. "auto" (the default) uses Hyperscan when it
is importable and its database can be built, else eyecite's default Aho-Corasick tokenizer;
"default" forces the latter. The compiled database (about 12-25 s to build once) is cached in
the directory the caller gave `hscache.use_directory` (the CLI gives the user's cache folder).
"""

from __future__ import annotations

from functools import lru_cache

from eyecite.tokenizers import Tokenizer, default_tokenizer

from citator.citations import hscache

__all__ = ["get_tokenizer"]


@lru_cache(maxsize=None)
def _hyperscan() -> Tokenizer | None:
    try:
        import hyperscan  # noqa: F401
        from eyecite.tokenizers import HyperscanTokenizer
    except ImportError:
        return None
    cache = hscache.cache_directory()
    try:
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True, mode=0o700)
        tokenizer = HyperscanTokenizer(cache_dir=str(cache) if cache is not None else None)
        _preload_database(tokenizer)
        return tokenizer
    except Exception:  # unusable cache dir or platform: fall back silently
        return None


def _preload_database(tokenizer: Tokenizer) -> None:
    """Give the tokenizer its compiled database from our cache (see `hscache`), keyed by the
    extractors' own expressions and flags, so eyecite skips preparing them in every process.
    eyecite keeps the database in `_db` and builds it only when that is absent."""
    import eyecite
    import hyperscan

    parts = [getattr(eyecite, "__version__", ""), getattr(hyperscan, "__version__", "")]
    parts += [f"{e.regex}\x01{int(e.flags)}" for e in tokenizer.extractors]
    tokenizer._db = hscache.cached_database("eyecite", hscache.fingerprint(parts), lambda: tokenizer.hyperscan_db)


def get_tokenizer(name: str | Tokenizer = "auto") -> Tokenizer:
    """ "auto"/"hyperscan": Hyperscan when importable, else the default; "default": Aho-Corasick;
    a Tokenizer object is used as it is."""
    if isinstance(name, Tokenizer):
        return name
    if name in ("auto", "hyperscan"):
        return _hyperscan() or default_tokenizer
    return default_tokenizer

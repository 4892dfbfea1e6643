"""A request reads once what many parts of its page ask (``core.memo``); a block that must read afresh (a value
``core.kept`` builds, watching every read) does, and what it read is the request's too afterwards."""

from __future__ import annotations

from medlead.core import memo


def test_a_block_reads_afresh_and_the_request_keeps_what_it_read() -> None:
    reads: list[str] = []

    def read(name: str) -> str:
        reads.append(name)
        return name.upper()

    token = memo._memo.set({})  # as RequestMemoMiddleware does for a request
    try:
        assert memo.once_per_request("a", lambda: read("a")) == "A"
        with memo.fresh():
            assert memo.once_per_request("a", lambda: read("a")) == "A"  # read again: the block watches it
            assert memo.once_per_request("b", lambda: read("b")) == "B"
        assert memo.once_per_request("b", lambda: read("b")) == "B"  # the block's read, not read a third time
        assert memo.once_per_request("a", lambda: read("a")) == "A"
    finally:
        memo._memo.reset(token)
    assert reads == ["a", "a", "b"]
    assert memo.once_per_request("a", lambda: read("a")) == "A" and reads[-1] == "a"  # outside a request: every time

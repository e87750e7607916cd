"""Work started a bounded number at a time and handed back strictly in the order it was started."""
from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from core.runner import RunControl

Item = TypeVar("Item")


async def finished_in_order(items: Iterable[Item], start: Callable[[Item], asyncio.Future], limit: int,
                            control: RunControl) -> AsyncIterator[tuple[Item, asyncio.Future]]:
    """`start` each item, at most `limit` unfinished at once; yield (item, its finished future) in order.

    On a stop request no more items start; finished ones are still yielded in order
    up to the first unfinished, and the rest are cancelled.
    """
    pending = iter(items)
    in_flight: deque[tuple[Item, asyncio.Future]] = deque()
    watcher = asyncio.ensure_future(control.watch())
    try:
        while True:
            while not control.stopping and len(in_flight) < limit:
                item = next(pending, None)
                if item is None:
                    break
                in_flight.append((item, start(item)))
            if not in_flight:
                return
            item, head = in_flight[0]
            if not head.done():
                await asyncio.wait((head, watcher), return_when=asyncio.FIRST_COMPLETED)
            if not head.done():
                return
            in_flight.popleft()
            yield item, head
    finally:
        watcher.cancel()
        for _, future in in_flight:
            future.cancel()
        await asyncio.gather(watcher, *(future for _, future in in_flight), return_exceptions=True)

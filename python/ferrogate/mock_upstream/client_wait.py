"""A pause that ends early when the client goes away, so a cancelled request is noticed."""

import asyncio

from granian.rsgi import HTTPProtocol


async def wait_unless_client_leaves(proto: HTTPProtocol, seconds: float) -> bool:
    """Sleep `seconds`; False if the client disconnected first."""
    pause = asyncio.ensure_future(asyncio.sleep(seconds))
    gone = asyncio.ensure_future(proto.client_disconnect())
    done, pending = await asyncio.wait({pause, gone}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return gone not in done

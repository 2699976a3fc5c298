"""The routing runtime: the one authority that decides who gets which call (ADR 0005).

core.py    synchronous: store each event, let the Router decide, save the effects; replay.
service.py asyncio: inbox, ticks at deadlines, telephony adapter, screen updates.
client.py  how web processes hand items to the runtime (in-process or a Redis stream).
"""

"""The guided exercise session: today's exercises one at a time, with pictures, steps and timers."""

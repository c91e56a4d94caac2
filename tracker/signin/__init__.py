"""Signing in and staying signed in: the client's real address behind the proxy, idle sign-out,
session lengths, signing out of other devices, and password resets that reveal nothing."""

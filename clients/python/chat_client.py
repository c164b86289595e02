#!/usr/bin/env python3
"""A minimal chat client, written from docs/protocol.md alone, with the Python standard library.

It shows that the protocol is all a client needs: any of the project's servers will talk to it.
It connects, prints the welcome, sends each message (from the command line, or one per line of
standard input), reads one answer after each and prints it, then sends !Disconnect and prints
whatever the server still sends until it closes the connection.

    python3 chat_client.py hello '!who'
    printf 'hello\\n!ping 42\\n' | python3 chat_client.py --port 5050

Like the original project's client, it reads one frame after each message; in a busy room that
frame may be someone else's. The interactive client (./chat client) prints everything as it
arrives, on a thread of its own.
"""

import argparse
import socket
import sys

HEADER_LENGTH = 64            # every frame starts with a 64-byte header: the payload length in ASCII digits
MAX_PAYLOAD = 1_048_576 + 1024  # the server's maximum, plus room for the "[name] " it puts in front
DISCONNECT = "!Disconnect"


def encode(text):
    """One frame: the payload's length in bytes, padded with spaces to 64 bytes, then the UTF-8 payload."""
    payload = text.encode("utf-8")
    header = str(len(payload)).encode("ascii").ljust(HEADER_LENGTH, b" ")
    return header + payload


def receive_exactly(sock, count):
    """Reads exactly count bytes. One recv() may return fewer bytes than asked for, so loop.

    Returns None if the connection ends before the first byte; raises if it ends in the middle.
    """
    chunks = []
    received = 0
    while received < count:
        chunk = sock.recv(count - received)
        if not chunk:
            if received == 0:
                return None
            raise ConnectionError("connection closed in the middle of a frame")
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)


def receive(sock):
    """Reads one frame and returns its payload as text, or None when the server has closed the connection."""
    header = receive_exactly(sock, HEADER_LENGTH)
    if header is None:
        return None
    digits = header.decode("ascii").strip(" ")
    if not digits.isdigit():
        raise ValueError("malformed header: %r" % header)
    length = int(digits)
    if length > MAX_PAYLOAD:
        raise ValueError("payload too large: %d bytes announced" % length)
    payload = receive_exactly(sock, length) if length else b""
    if payload is None:
        raise ConnectionError("connection closed in the middle of a frame")
    return payload.decode("utf-8")  # strict: invalid UTF-8 raises


def main():
    parser = argparse.ArgumentParser(description="Send chat messages to a socket chat server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5050)
    parser.add_argument("messages", nargs="*", help="messages to send; without any, one per line of standard input")
    args = parser.parse_args()
    messages = args.messages or (line.rstrip("\n") for line in sys.stdin)

    try:
        sock = socket.create_connection((args.host, args.port), timeout=10)
    except OSError as e:
        print("cannot connect to %s:%d: %s" % (args.host, args.port, e.strerror or e), file=sys.stderr)
        return 1
    try:
        with sock:
            sock.settimeout(None)  # a single-threaded server may keep us waiting for our welcome
            welcome = receive(sock)
            if welcome is None:
                print("server closed the connection", file=sys.stderr)
                return 1
            print(welcome)
            for message in messages:
                sock.sendall(encode(message))
                answer = receive(sock)
                if answer is None:
                    print("server closed the connection", file=sys.stderr)
                    return 1
                print(answer)
            sock.sendall(encode(DISCONNECT))
            # The server writes out what it still has for us, then closes.
            sock.settimeout(10)
            while (payload := receive(sock)) is not None:
                print(payload)
    except (OSError, ValueError) as e:
        print("connection failed: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""A loopback TCP proxy that counts the bytes a client receives.

    count-bytes.py LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT TOTAL_FILE

Forwards every connection to the upstream and, after each connection ends,
writes the bytes received by clients so far to TOTAL_FILE. benches/remote.sh
runs each command once through it to report the bytes an answer costs.
"""

import socket
import sys
import threading

listen_port, host, port, total_file = (
    int(sys.argv[1]),
    sys.argv[2],
    int(sys.argv[3]),
    sys.argv[4],
)
lock = threading.Lock()
total = 0


def pipe(source, sink, count):
    global total
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
            if count:
                with lock:
                    total += len(data)
    except OSError:
        pass
    finally:
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        if count:
            with lock, open(total_file, "w") as out:
                out.write(str(total))


def serve(client):
    upstream = socket.create_connection((host, port))
    threading.Thread(target=pipe, args=(client, upstream, False), daemon=True).start()
    pipe(upstream, client, True)
    client.close()
    upstream.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", listen_port))
listener.listen(64)
while True:
    connection, _ = listener.accept()
    threading.Thread(target=serve, args=(connection,), daemon=True).start()

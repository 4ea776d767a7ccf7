"""Sends an event file to `darkscope trigger run --listen HOST:PORT` and reads every decision back
(a sender thread and this reading loop, so that neither side waits for the other). Usage:
python3 trigger_client.py HOST PORT FILE. Prints the decisions counted and their rate."""
import socket
import sys
import threading
import time

host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for _ in range(300):
    try:
        connection = socket.create_connection((host, port))
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("trigger_client: no trigger listening on %s:%d" % (host, port))
data = open(path, "rb").read()


def send():
    connection.sendall(data)
    connection.shutdown(socket.SHUT_WR)


start = time.time()
sender = threading.Thread(target=send)
sender.start()
decisions = 0
while True:
    chunk = connection.recv(1 << 20)
    if not chunk:
        break
    decisions += chunk.count(b"\n")
sender.join()
elapsed = time.time() - start
print("trigger_client: %d decisions in %.2f s (%.0f/s)" % (decisions, elapsed, decisions / elapsed))

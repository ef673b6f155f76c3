"""Clients that give up in the middle of a write, then one that waits: how long does the one that waits take?

Each round, eight clients send PATCH /trainees/{id} for one trainee and close their connection 2-15 ms later (most
of them mid-transaction, or queued for the trainee's row); 20 ms in, a ninth sends the same PATCH and waits for its
answer. Prints the waiting client's latencies. Usage: python3 bench/abandoned.py PORT TOKEN TRAINEE_ID [ROUNDS]
"""
import json
import random
import socket
import statistics
import sys
import threading
import time

port, token, trainee = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 60


def request(n):
    body = json.dumps({"yearsOfTeachingExperience": n % 30}).encode()
    head = (f"PATCH /api/v1/trainees/{trainee} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/merge-patch+json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


def gives_up(n, after):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(request(n))
        time.sleep(after)


def waits(n):
    with socket.create_connection(("127.0.0.1", port)) as s:
        started = time.perf_counter()
        s.sendall(request(n))
        status = s.recv(65536).split(b"\r\n", 1)[0].decode()
        return (time.perf_counter() - started) * 1000, status


latencies, statuses = [], set()
for r in range(rounds):
    quitters = [threading.Thread(target=gives_up, args=(i, random.uniform(0.002, 0.015))) for i in range(8)]
    for q in quitters:
        q.start()
    time.sleep(0.02)
    took, status = waits(r)
    for q in quitters:
        q.join()
    latencies.append(took)
    statuses.add(status)
    time.sleep(0.3)

latencies.sort()
print(f"RESULT rounds={rounds} median_ms={statistics.median(latencies):.1f} p90_ms={latencies[int(rounds * 0.9)]:.1f} "
      f"max_ms={latencies[-1]:.1f} over_250ms={sum(x > 250 for x in latencies)} statuses={','.join(sorted(statuses))}")

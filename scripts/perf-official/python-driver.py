"""One measurement of the official Python SDK: GetOtpSecretByUser against the canned
server from CONCURRENCY threads, CALLS in all after a warm-up. Prints the process's CPU
per call in nanoseconds (getrusage, user + system) and calls/s.
Usage: python python-driver.py BASE CONCURRENCY CALLS"""
import resource
import sys
import threading
import time

from authing.ManagementClient import ManagementClient

base, concurrency, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = ManagementClient(access_key_id="AK", access_key_secret="SK", host=base)


def one():
    answer = client.get_otp_secret_by_user(user_id="6229ffaxxxxxxxxcade3e3d9")
    if answer.get("statusCode") != 200 or answer["data"]["secret"] != "HZ2F6J3AGNAVSOTV":
        raise RuntimeError(f"unexpected answer {answer}")


def run(n):
    lock = threading.Lock()
    left = [n]
    errors = []

    def caller():
        while True:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            try:
                one()
            except Exception as e:  # reported below; the run fails
                errors.append(e)
                return

    threads = [threading.Thread(target=caller) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


run(max(concurrency * 2, 50))
cpu0, start = cpu(), time.perf_counter()
run(calls)
seconds, used = time.perf_counter() - start, cpu() - cpu0
print(f"{round(used * 1e9 / calls)} {calls / seconds:.1f}")

#!/usr/bin/env python3
"""Issue 22's attacks, black-box against the demo jar, on 127.0.0.1 only, in about a minute.

Starts the demo with metrics and admin tokens and a management port, replays each attack that once
blinded, froze or spoofed the kit, and prints a table: attack, expected, seen, verdict. Exit status
1 when an attack that should be fixed still works.

Usage: examples/hostile-traffic.py [--jar examples/jetty-demo/target/inferwatch-demo.jar]
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

TOKEN = "hostile-metrics-token-0123456789"
ADMIN = "hostile-admin-token-9876543210"
HOST = "127.0.0.1"

ROWS = []


def row(item, attack, expected, seen, ok):
    verdict = "PASS" if ok else "FAIL"
    ROWS.append((item, attack, expected, str(seen), verdict))


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def bearer(token):
    return {"Authorization": "Bearer " + token}


def metrics(port):
    return request(port, "GET", "/metrics", headers=bearer(TOKEN))[2]


def series(text, family, **labels):
    """Sum of the samples of family whose labels include the given ones."""
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(family + "{"):
            continue
        name_labels, _, value = line.rpartition(" ")
        if all('%s="%s"' % (k, v) in name_labels for k, v in labels.items()):
            total += float(value)
    return total


def label_values(text, family, label):
    values = set()
    for line in text.splitlines():
        if line.startswith(family + "{"):
            start = line.find(label + '="')
            if start >= 0:
                start += len(label) + 2
                values.add(line[start:line.index('"', start)])
    return values


def start_demo(jar, env_extra, wait=True):
    env = dict(os.environ)
    env.update(env_extra)
    log = tempfile.NamedTemporaryFile(prefix="hostile-demo-", suffix=".log", delete=False)
    proc = subprocess.Popen(["java", "-jar", jar], env=env, stdout=log, stderr=subprocess.PIPE)
    if not wait:
        return proc, log.name
    port = int(env_extra["PORT"])
    deadline = time.time() + 40
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("the demo exited: " + proc.stderr.read().decode())
        try:
            if request(port, "GET", "/livez", timeout=2)[0] == 200:
                return proc, log.name
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    sys.exit("the demo did not answer /livez within 40 s")


# --- 8. Configuration errors ----------------------------------------------------------------------
def attack_settings(jar):
    for variable, value, line in [
        ("INFERWATCH_MAX_ROUTES", "abc", "INFERWATCH_MAX_ROUTES=abc: not an integer between 1 and 100000"),
        ("PORT", "eighty", "PORT=eighty: not an integer between 0 and 65535"),
    ]:
        env = {"PORT": "0", "DEMO_TRAFFIC": "false", variable: value}
        proc, _ = start_demo(jar, env, wait=False)
        try:
            _, err = proc.communicate(timeout=30)
            err = err.decode("utf-8", "replace").strip()
            seen = "exit %d, stderr %r" % (proc.returncode, err[:100])
            ok = proc.returncode != 0 and err == line
        except subprocess.TimeoutExpired:
            proc.kill()
            seen, ok = "still running after 30 s", False
        row("8", "start with %s=%s" % (variable, value), "exit, one line: " + line, seen, ok)


# --- 1. Management port ---------------------------------------------------------------------------
def attack_management_port(mport):
    status = request(mport, "GET", "/metrics")[0]
    row("1", "scrape the management port without credentials", "401", status, status == 401)
    status = request(mport, "GET", "/metrics", headers=bearer(TOKEN))[0]
    row("1", "scrape the management port with the token", "200", status, status == 200)


# --- 4. Route table -------------------------------------------------------------------------------
def attack_routes(port):
    rnd = random.Random(22)
    words = ["".join(rnd.choice("ghijklmnopqrstuvwxyz") for _ in range(rnd.randint(4, 10))) for _ in range(300)]
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda w: request(port, "GET", "/users/" + w), words))
        list(pool.map(lambda w: request(port, "DELETE", "/users/" + w + "/x" + w), words[:100]))
    status = request(port, "POST", "/predict", body='{"instances":["great demo"]}',
                     headers={"Content-Type": "application/json"})[0]
    text = metrics(port)
    routes = label_values(text, "http_server_requests_total", "route")
    users = sorted(r for r in routes if r.startswith("/users/"))
    row("4", "300 GETs to /users/<random word>, then POST /predict",
        "/predict its own route, /users/* one route, no __overflow__",
        "predict %d; /users routes %s; overflow %s" % (status, users[:3], "__overflow__" in routes),
        "/predict" in routes and users == ["/users/{param}"] and "__overflow__" not in routes)
    unmatched = series(text, "http_server_requests_total", route="__unmatched__", status="405")
    row("4", "100 DELETEs (405) to /users/<word>/x<word>", "all __unmatched__, no new route",
        "unmatched 405: %d" % unmatched, unmatched == 100)


# --- 5. Model reload ------------------------------------------------------------------------------
def attack_reload(port):
    json_type = {"Content-Type": "application/json"}
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    s1 = request(port, "POST", "/health/model/reload", body="{}", headers=json_type)[0]
    row("5", "POST /health/model/reload without credentials", "401", s1, s1 == 401)
    s2 = request(port, "POST", "/health/model/reload", body="a=b", headers=dict(form, **bearer(ADMIN)))[0]
    row("5", "cross-site form POST to reload (with the admin token)", "415", s2, s2 == 415)
    s3 = request(port, "POST", "/health/model/reload", body="{}", headers=dict(json_type, **bearer(ADMIN)))[0]
    s4, h4, _ = request(port, "POST", "/health/model/reload", body="{}", headers=dict(json_type, **bearer(ADMIN)))
    row("5", "two JSON reloads with the admin token at once", "202 or 409, then 429 + Retry-After",
        "%d, %d (Retry-After %s)" % (s3, s4, h4.get("Retry-After")),
        s3 in (202, 409) and s4 == 429 and h4.get("Retry-After") == "1")
    allow = request(port, "OPTIONS", "/health/model/reload")[1].get("Allow", "")
    row("5", "OPTIONS /health/model/reload", "Allow names POST", allow, "POST" in allow)
    counted = series(metrics(port), "http_server_requests_total", route="/health/model/reload", method="POST")
    row("5", "reload requests in http_server_requests_total", "4 counted", "%d" % counted, counted == 4)


# --- 6. Details behind credentials ----------------------------------------------------------------
def attack_details(port):
    for path in ["/info", "/health/detailed", "/health/system", "/health/gpu", "/metrics.json"]:
        status, _, body = request(port, "GET", path)
        row("6", "GET %s without credentials" % path, "401", status, status == 401 and "version" not in body)
    for path in ["/livez", "/readyz", "/startupz", "/health", "/ping"]:
        status, _, body = request(port, "GET", path)
        leaks = [w for w in ("version", "reason", "bytes", "path", "/") if w in body]
        row("6", "GET %s without credentials" % path, "200/503, status only",
            "%d %s" % (status, body[:60]), status in (200, 503) and not leaks)
    server = request(port, "GET", "/hello")[1].get("Server")
    row("6", "Server header of the demo", "absent", server, server is None)
    for path in ["/hello", "/metrics", "/livez", "/nowhere"]:
        status, _, body = request(port, "TRACE", path, headers={"X-Secret": "cookie-42"})
        row("6", "TRACE %s" % path, "405, nothing echoed", status, status == 405 and "cookie-42" not in body)


# --- 7. Chat input -------------------------------------------------------------------------------
def attack_chat_input(port):
    body = '{"model":"fake-model","messages":[{"role":"user","content":"hi"}]} trailing-garbage'
    status, _, text = request(port, "POST", "/v1/chat/completions", body=body,
                              headers={"Content-Type": "application/json"})
    row("7", "chat body with trailing garbage", "400", status, status == 400)
    bad = '{"model":"fake-model","messages":[{"role":"user","content":1e999999}]}'
    status, _, text = request(port, "POST", "/v1/chat/completions", body=bad,
                              headers={"Content-Type": "application/json"})
    leaked = [w for w in ("com.fasterxml", "Jackson", "jackson") if w in text]
    row("7", "chat body with a broken number", "400 naming no library", "%d %s" % (status, leaked),
        status == 400 and not leaked)
    evil = '{"model":"fake-model\\n# EVIL","messages":[{"role":"user","content":"hi"}]}'
    request(port, "POST", "/v1/chat/completions", body=evil, headers={"Content-Type": "application/json"})
    text = metrics(port)
    row("7", "control characters in a label value", "never in the exposition",
        "EVIL line present" if "\n# EVIL" in text else "clean", "\n# EVIL" not in text)


# --- 9. Rejected requests ------------------------------------------------------------------------
def attack_rejected(port):
    for raw in [b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", b"GET //x/../../y HTTP/1.1\r\nHost: x\r\n\r\n"]:
        with socket.create_connection((HOST, port), timeout=5) as s:
            s.sendall(raw)
            try:
                s.recv(4096)
            except OSError:
                pass
    rejected = series(metrics(port), "http_server_requests_total", route="__rejected__")
    row("9", "malformed request lines (bad %-encoding, //)", "counted as __rejected__",
        "%d" % rejected, rejected >= 1)


# --- 3. Aborted bodies ---------------------------------------------------------------------------
def attack_aborted_body(port):
    before = metrics(port)
    for path in ["/predict", "/v1/chat/completions"]:
        with socket.create_connection((HOST, port), timeout=5) as s:
            s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 1000\r\n\r\n{\"instances\":[" % path).encode())
            time.sleep(0.2)
    time.sleep(1.5)
    after = metrics(port)
    five = sum(series(after, "http_server_requests_total", status=s) - series(before, "http_server_requests_total", status=s)
               for s in ("500", "502", "503"))
    io = series(after, "http_server_errors_total", error_type="IOException")
    row("3", "bodies aborted half-way", "no 5xx, no IOException error", "5xx %d, IOException %d" % (five, io),
        five == 0 and io == 0)


# --- 2. Freezing the server ----------------------------------------------------------------------
def attack_freeze(port):
    held = []
    body = json.dumps({"model": "fake-model", "messages": [{"role": "user", "content": "slow"}]})
    try:
        for i in range(300):
            s = socket.create_connection((HOST, port), timeout=5)
            s.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 1000\r\n\r\n{\"instances\":[")
            held.append(s)
        for i in range(300):
            s = socket.create_connection((HOST, port), timeout=5)
            s.sendall(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: %d\r\n\r\n%s" % (len(body), body)).encode())
            held.append(s)
        time.sleep(1)
        deadline = time.time() + 20
        for path in ["/livez", "/readyz", "/metrics"]:
            times = []
            for _ in range(20):
                if time.time() > deadline:
                    times.append(float("inf"))
                    continue
                t0 = time.time()
                try:
                    request(port, "GET", path, headers=bearer(TOKEN), timeout=2)
                    times.append(time.time() - t0)
                except OSError:
                    times.append(float("inf"))
            p99 = sorted(times)[-1]
            row("2", "GET %s x20 while 300 half-sent bodies + 300 slow chats are open" % path,
                "p99 < 1 s", "p99 %s" % ("timeout" if p99 == float("inf") else "%.3f s" % p99), p99 < 1)
        s = held[0]
        s.settimeout(6)
        try:
            answer = s.recv(4096).decode("utf-8", "replace")
        except OSError:
            answer = ""
        status = answer.split(" ")[1] if answer.startswith("HTTP/") else "none"
        row("2", "a half-sent /predict body past INFERWATCH_BODY_TIMEOUT_MS (2 s)", "408 JSON",
            status, status == "408" and "application/json" in answer)
    finally:
        for s in held:
            s.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jar", default="examples/jetty-demo/target/inferwatch-demo.jar")
    args = parser.parse_args()
    started = time.time()
    attack_settings(args.jar)
    port, mport = free_port(), free_port()
    proc, log = start_demo(args.jar, {
        "PORT": str(port), "HOST": HOST, "DEMO_TRAFFIC": "false", "DEMO_MODEL_LOAD_MS": "0",
        "DEMO_CHAT_TTFT_MS": "5000", "INFERWATCH_METRICS_TOKEN": TOKEN, "INFERWATCH_ADMIN_TOKEN": ADMIN,
        "INFERWATCH_METRICS_PORT": str(mport), "INFERWATCH_METRICS_HOST": HOST,
        "INFERWATCH_BODY_TIMEOUT_MS": "2000",
    })
    try:
        for attack in (attack_management_port,):
            attack(mport)
        for attack in (attack_routes, attack_reload, attack_details, attack_chat_input, attack_rejected,
                       attack_aborted_body, attack_freeze):
            try:
                attack(port)
            except Exception as e:  # an attack that breaks the client is a finding, not a crash
                row("?", attack.__name__, "no error", "%s: %s" % (type(e).__name__, e), False)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    width = max(len(r[1]) for r in ROWS)
    print("\n%-4s %-*s  %-48s  %-40s  %s" % ("item", width, "attack", "expected", "seen", "verdict"))
    for item, attack, expected, seen, verdict in ROWS:
        print("%-4s %-*s  %-48s  %-40s  %s" % (item, width, attack, expected[:48], seen[:40], verdict))
    failed = [r for r in ROWS if r[4] == "FAIL"]
    print("\n%d attacks, %d failed, %.0f s; demo log: %s" % (
        len(ROWS), len(failed), time.time() - started, log))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

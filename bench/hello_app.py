"""The ceiling for bench_gateway.py: a hello-world Flask endpoint, run under the same gunicorn
configuration as the gateway (GET, and POST with the verify request's body, which it ignores)."""

from flask import Flask

app = Flask(__name__)


@app.route("/hello", methods=["GET", "POST"])
def hello() -> dict[str, str]:
    return {"hello": "world"}

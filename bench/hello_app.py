"""The ceiling for bench_gateway.py: a hello-world Flask endpoint, run under the same gunicorn
configuration as the gateway."""

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello() -> dict[str, str]:
    return {"hello": "world"}

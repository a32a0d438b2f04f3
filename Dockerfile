# syntax=docker/dockerfile:1

# ---- build: compile the Rust extension and package everything as one wheel ----
FROM python:3.11-slim-bookworm AS build

ENV RUSTUP_HOME=/usr/local/rustup \
    CARGO_HOME=/usr/local/cargo \
    PATH=/usr/local/cargo/bin:$PATH

RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*
RUN curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
    | sh -s -- -y --no-modify-path --profile minimal --default-toolchain stable
RUN pip install --no-cache-dir "maturin>=1.9,<2"

WORKDIR /src
# The globs let the build proceed before Cargo.lock / README.md exist.
COPY pyproject.toml Cargo.toml Cargo.lock* rustfmt.toml README.md* ./
COPY rust ./rust
COPY python ./python
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    maturin build --release --interpreter python3.11 --out /dist

# ---- runtime: only the wheel and its dependencies ----
FROM python:3.11-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

RUN --mount=type=bind,from=build,source=/dist,target=/dist \
    pip install --no-cache-dir /dist/*.whl
RUN useradd --system --no-log-init --create-home --uid 10001 ferrogate

USER ferrogate
WORKDIR /home/ferrogate
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=2)"]
ENTRYPOINT ["ferrogate"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
